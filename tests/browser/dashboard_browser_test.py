#!/usr/bin/env python3
# Copyright 2026 The ContactLedger Authors.
"""ctest dashboard_browser: the dashboard page in a real browser.

Builds a small county with ledgerctl (hostile names included), writes its
dashboard with `ledgerctl dashboard`, loads the page from a file:// URL in
headless Chromium and reads the DOM Chromium rendered (--dump-dom). Then:

  - every table of the page (the roll-up and each drill-down, the open loops
    by kind with their people, the roster, the days) holds what `ledgerctl
    rollup`, `loops` and `roster --format csv` answer on the same ledger;
    each day's figures are `ledgerctl roster` and `loops` at the day's end;
    the chains drawn are the cases of `ledgerctl chains`;
  - a person named <script>alert(1)</script> and one named with an <img>
    that would fetch from 127.0.0.1 show as text: the DOM has no script or
    img element, every href is a fragment ('#...'), no element has a src,
    srcset, xlink:href or poster attribute or an on... event handler, and
    no url( names anything but a fragment;
  - the Content-Security-Policy forbids every fetch, and Chromium reported
    no violation of it (so the inline style sheet's hash is right). Chromium
    writes a violation to stderr as a console message (--enable-logging=
    stderr --v=0); a control page whose inline style does not match its
    policy's hash is loaded first, and its violation must be reported, so
    that this check is seen to work;
  - Chromium's net log (--log-net-log) holds no request made by the page:
    only the browser's own background requests, which have no initiator,
    and the load of the page's own file URL (any other URL, file: included,
    counts). A control page with an <img> from 127.0.0.1 and no policy is
    loaded first, and its request must be found, so that the check is seen
    to work. Chromium serves file: URLs outside its network stack, so the
    net log does not show them: a reference to a file beside the page is
    caught by the DOM checks above (src, href, url( and the like);
  - --redact masks the names in the page, and --scope gives one area's page.

    dashboard_browser_test.py --ledgerctl PATH --work DIR [--chromium PATH]

Exits 77 (CTest's SKIP_RETURN_CODE) when no Chromium is installed, saying
so; 1 on any failed check; 0 when all pass.
"""

import argparse
import csv
import html.parser
import io
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
AT = "2020-01-28T12:00:00+08:00"
DAYS = 5
HOSTILE = "<script>alert(1)</script>"
LEAK = '<img src="http://127.0.0.1:9/leak.png">'
CHROMIUM_TIMEOUT = 40  # seconds for one page
COMMAND_TIMEOUT = 60  # seconds for one ledgerctl command
# How Chromium reports a violated Content-Security-Policy (a console message
# on stderr).
CSP_VIOLATION = "Content Security Policy directive"

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr)


def run(args, **kwargs):
    try:
        done = subprocess.run(args, capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT, **kwargs)
    except subprocess.TimeoutExpired:
        sys.exit("command did not finish in %d s: %s" % (
            COMMAND_TIMEOUT, " ".join(map(str, args))))
    if done.returncode != 0:
        sys.exit("command failed (%d): %s\n%s%s" % (
            done.returncode, " ".join(map(str, args)), done.stdout,
            done.stderr))
    return done.stdout


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def make_ledger(ctl, work):
    """A county c (townships t1, t2; villages v1, v2, v3) with two linked
    cases, their contacts, a stay, checks (one a fever), and a person met
    but never registered."""
    ledger = work / "ledger"
    run([ctl, "init", ledger, "--time-zone", "Asia/Shanghai",
         "--identity-rules", "none"])
    csvs = work / "csv"
    csvs.mkdir()
    write_csv(csvs / "areas.csv", ["area_id", "parent_id", "level", "name"], [
        ["c", "", "county", "Test County 测试县"],
        ["t1", "c", "township", "North"],
        ["t2", "c", "township", '"><svg onload=alert(2)> & South'],
        ["v1", "t1", "village", "Upper"],
        ["v2", "t1", "village", "Lower"],
        ["v3", "t2", "village", "Riverside"],
    ])
    write_csv(csvs / "households.csv",
              ["household_id", "area_id", "address", "responsible_worker"], [
                  ["h1", "v1", "1 Upper Road", "Wang Jun"],
                  ["h2", "v3", "2 River Lane", ""],
                  ["h3", "v2", "3 Lower Street", "Chen Li"],
              ])
    write_csv(csvs / "persons.csv",
              ["person_id", "household_id", "name"], [
                  ["p1", "h1", HOSTILE],
                  ["p2", "h1", "Li Na"],
                  ["p3", "h2", LEAK],
                  ["p4", "h2", "Zhang San"],
                  ["p5", "h3", "Zhao Lei"],
              ])
    write_csv(csvs / "exposures.csv",
              ["person_a", "person_b", "start", "end", "setting"], [
                  ["p1", "p3", "2020-01-24T18:00:00+08:00",
                   "2020-01-24T21:00:00+08:00", "gathering"],
                  ["p1", "p9", "2020-01-25T09:00:00+08:00",
                   "2020-01-25T10:00:00+08:00", "work"],
                  ["p3", "p5", "2020-01-26T14:00:00+08:00",
                   "2020-01-26T15:00:00+08:00", "work"],
              ])
    write_csv(csvs / "diagnoses.csv", ["person_id", "status", "onset", "time"],
              [["p1", "confirmed", "2020-01-25", "2020-01-27T10:00:00+08:00"],
               ["p3", "confirmed", "2020-01-27", "2020-01-28T09:00:00+08:00"]])
    write_csv(csvs / "stays.csv", ["person_id", "action", "time", "place"], [
        ["p1", "start", "2020-01-26T11:00:00+08:00", "hospital"],
        ["p2", "start", "2020-01-27T18:00:00+08:00", "centralized"],
    ])
    write_csv(csvs / "checks.csv",
              ["person_id", "time", "temperature_c", "symptoms", "checked_by"],
              [["p1", "2020-01-27T08:00:00+08:00", "37.0", "false", "dr-x"],
               ["p2", "2020-01-28T08:00:00+08:00", "38.1", "true", "dr-y"]])
    run([ctl, "import", ledger] + sorted(str(p) for p in csvs.iterdir()))
    return ledger


class Dom(html.parser.HTMLParser):
    """The parts of the page the checks read: every table row with its
    attributes, its table's attributes and its cells' text; the elements
    seen; meta elements; the chains' cases."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows = []  # (table attrs, section, row attrs, [cell text])
        self.tags = {}
        self.metas = []
        self.cases = []
        self.cards = {}
        self.bad_attributes = []  # (tag, attribute, value) that could fetch
        self._tables = []
        self._section = None
        self._row = None
        self._cell = None
        self._card = None

    def check_attributes(self, tag, attrs):
        """Records each attribute that could fetch or run something: an href
        that is not a fragment, src, srcset, xlink:href, poster, a url( that
        is not url(#, and every on... event handler."""
        for name, value in attrs:
            value = value or ""
            bad = (name in ("src", "srcset", "xlink:href", "poster") or
                   name.startswith("on") or
                   (name == "href" and not value.startswith("#")) or
                   any(not u.startswith("#")
                       for u in re.findall(r"url\(\s*['\"]?([^)]*)", value)))
            if bad:
                self.bad_attributes.append((tag, name, value))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.check_attributes(tag, attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "section":
            self._section = a.get("id")
        elif tag == "table":
            self._tables.append(a)
        elif tag == "tr":
            self._row = (dict(self._tables[-1]) if self._tables else {},
                         self._section, a, [])
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "meta":
            self.metas.append(a)
        elif tag == "g" and a.get("class") == "case":
            self.cases.append(a.get("data-case"))
        elif tag == "li" and a.get("id", "").startswith("count-"):
            self._card = a["id"]
        elif tag == "span" and self._card and a.get("class") == "n":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._tables:
            self._tables.pop()
        elif tag in ("td", "th") and self._cell is not None and self._row:
            self._row[3].append("".join(self._cell))
            self._cell = None
        elif tag == "span" and self._card and self._cell is not None:
            self.cards[self._card] = int("".join(self._cell))
            self._cell = None
            self._card = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def table(self, **want):
        """The data rows (those with a data- attribute) of the tables whose
        attributes include `want` (e.g. id="roster-table")."""
        want = {k.rstrip("_").replace("_", "-"): v for k, v in want.items()}
        return [r for r in self.rows
                if all(r[0].get(k) == v for k, v in want.items())
                and any(k.startswith("data-") for k in r[2])]


def chromium_command(chromium, profile, net_log, extra):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--user-data-dir=" + str(profile), "--no-first-run",
            "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-domain-reliability",
            "--log-net-log=" + str(net_log), "--enable-logging=stderr",
            "--v=0"] + extra


def load(chromium, work, name, page):
    """Chromium's DOM of `page`, its stderr and the path of its net log.

    Chromium runs in a session of its own, so that on a timeout its whole
    process group (renderers, GPU and utility processes) is killed, not just
    the browser; its profile is a fresh temporary directory, removed
    afterwards."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-" + name + "-")
    net_log = work / ("netlog-" + name + ".json")
    args = chromium_command(chromium, profile, net_log,
                            ["--dump-dom", page.resolve().as_uri()])
    started = time.monotonic()
    try:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=CHROMIUM_TIMEOUT)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()
            sys.exit("chromium did not finish loading %s in %d s: %s" %
                     (page, CHROMIUM_TIMEOUT, " ".join(map(str, args))))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0 or "<html" not in stdout:
        sys.exit("chromium failed on %s (%d):\n%s" %
                 (page, proc.returncode, stderr[-3000:]))
    print("chromium loaded %s in %.1f s" % (page.name,
                                            time.monotonic() - started))
    (work / (name + ".dom.html")).write_text(stdout, encoding="utf-8")
    return stdout, stderr, net_log


def page_requests(net_log, page):
    """The URLs the page asked for: requests whose initiator is an origin
    (the page's, "null" for a file); the load of the page's own file URL
    left out, and data:, about: and chrome: URLs (no fetch). Any other
    file: URL is a request. The browser's own background requests have the
    initiator "not an origin"."""
    own = page.resolve().as_uri()
    log = json.loads(net_log.read_text(encoding="utf-8"))
    kinds = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    found = []
    for event in log["events"]:
        params = event.get("params") or {}
        if kinds.get(event["type"]) != "URL_REQUEST_START_JOB":
            continue
        url = params.get("url")
        if url is None:  # the end of a job: its error, no URL
            continue
        if url == own or url.startswith(("data:", "about:", "chrome:")):
            continue
        if params.get("initiator") == "not an origin":
            continue
        found.append(url)
    return found


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ledgerctl", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--chromium", default="")
    args = parser.parse_args()
    chromium = args.chromium or next(
        (c for c in (shutil.which("chromium"), shutil.which("chromium-browser"))
         if c), "")
    if not chromium or not os.access(chromium, os.X_OK):
        print("SKIP: no chromium found (Debian: apt-get install chromium; "
              "scripts/install-deps.sh installs it): the dashboard's browser "
              "test did not run")
        return SKIP

    work = pathlib.Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ctl = args.ledgerctl
    ledger = make_ledger(ctl, work)

    # The controls: a page that does fetch must be seen fetching, and a page
    # whose inline style breaks its policy must be seen refused.
    control = work / "control.html"
    control.write_text('<!DOCTYPE html><title>control</title>'
                       '<img src="http://127.0.0.1:9/control-probe.png">',
                       encoding="utf-8")
    control_dom, _, control_log = load(chromium, work, "control", control)
    check(any("control-probe" in u
              for u in page_requests(control_log, control)),
          "the net log check found no request of the control page: it "
          "cannot see a page's requests on this chromium")
    control_parsed = Dom()
    control_parsed.feed(control_dom)
    check(any(a == "src" for _, a, _ in control_parsed.bad_attributes),
          "the DOM check did not see the control page's img src: %s" %
          control_parsed.bad_attributes)
    csp_control = work / "csp-control.html"
    csp_control.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-'
        'Policy" content="default-src \'none\'; style-src \'sha256-'
        'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\'"><style>p { color: '
        'red }</style></head><body><p>control</p></body></html>',
        encoding="utf-8")
    _, csp_stderr, _ = load(chromium, work, "csp-control", csp_control)
    check(CSP_VIOLATION in csp_stderr,
          "chromium did not report the control page's policy violation on "
          "stderr, so a violation by the dashboard would go unseen:\n" +
          csp_stderr[-2000:])

    page = work / "dashboard.html"
    out = run([ctl, "dashboard", ledger, "--at", AT, "--days", str(DAYS),
               "--out", page])
    check(out.startswith("wrote %s: " % page), "dashboard printed: " + out)
    dom_text, stderr, net_log = load(chromium, work, "dashboard", page)
    dom = Dom()
    dom.feed(dom_text)

    # --- No fetch, no script, the policy in force. ---
    requests = page_requests(net_log, page)
    check(not requests, "the page made requests: %s" % requests)
    check(dom.tags.get("script", 0) == 0, "the DOM has a script element")
    check(dom.tags.get("img", 0) == 0, "the DOM has an img element")
    check(not dom.bad_attributes,
          "attributes that could fetch or run: %s" % dom.bad_attributes[:10])
    urls = re.findall(r"url\(\s*['\"]?([^)]*)", dom_text)
    check(all(u.startswith("#") for u in urls),
          "url( naming more than a fragment: %s" %
          [u for u in urls if not u.startswith("#")][:10])
    csp = [m.get("content", "") for m in dom.metas
           if m.get("http-equiv", "").lower() == "content-security-policy"]
    check(len(csp) == 1 and csp[0].startswith("default-src 'none';")
          and "script-src" not in csp[0] and "connect-src" not in csp[0],
          "Content-Security-Policy: %s" % csp)
    check(CSP_VIOLATION not in stderr,
          "chromium reported a policy violation:\n" + stderr[-2000:])

    q = ["--at", AT]
    # --- The roll-up and each drill-down, as `ledgerctl rollup`. ---
    def rollup_matches(table_rows, area):
        expected = csv_rows(run([ctl, "rollup", ledger, "--area", area] + q))
        got = [r[3] for r in table_rows]
        check(len(got) == len(expected),
              "roll-up of %s: %d rows, ledgerctl has %d" %
              (area, len(got), len(expected)))
        kinds = ["unplaced", "unisolated_case", "early_release",
                 "missed_check", "fever_not_escalated", "no_owner",
                 "checkpoint_breach", "unregistered"]
        for cells, e in zip(got, expected):
            want = [e["area_id"], e["name"], e["persons"], e["households"],
                    e["active_cases"], e["close_contacts"],
                    e["secondary_contacts"], e["in_hospital"],
                    e["in_centralized"], e["at_home"],
                    str(sum(int(e[k]) for k in kinds)), e["checks_last_24h"]]
            check(cells == want, "roll-up of %s: row %s, ledgerctl %s" %
                  (area, cells, want))
        return expected

    county = rollup_matches(dom.table(id="rollup-table"), "c")
    drilled = 0
    for row in county:
        if row["area_id"] == "(unassigned)":
            continue
        rollup_matches(dom.table(class_="children",
                                 data_parent=row["area_id"]), row["area_id"])
        drilled += 1
    check(drilled == 2, "drill-downs checked: %d" % drilled)

    # --- The open loops, kind by kind. ---
    loops = csv_rows(run([ctl, "loops", ledger] + q))
    by_kind = {}
    for loop in loops:
        by_kind.setdefault(loop["kind"], []).append(loop)
    for row in dom.table(id="loop-kinds"):
        kind = row[2]["data-kind"]
        check(int(row[3][2]) == len(by_kind.get(kind, [])),
              "loop kind %s: %s open, ledgerctl %d" %
              (kind, row[3][2], len(by_kind.get(kind, []))))
    check(len(by_kind) >= 4, "the test ledger has only loops %s" % by_kind)
    for kind, expected in by_kind.items():
        got = dom.table(class_="people", data_kind=kind)
        check([(r[3][0], r[3][3], r[3][4]) for r in got] ==
              [(e["person_id"], e["since"], e["detail"]) for e in expected],
              "loops %s: %s, ledgerctl %s" % (kind, [r[3] for r in got],
                                              expected))

    # --- The roster, with names shown as text. ---
    roster = csv_rows(run([ctl, "roster", ledger] + q))
    got = dom.table(id="roster-table")
    check([(r[3][0], r[3][3], r[3][4], r[3][5], r[3][6], r[3][7], r[3][8])
           for r in got] ==
          [(e["person_id"], e["role"], e["place"], e["until"], e["source"],
            e["last_exposure"], e["continuous"]) for e in roster],
          "roster: %s, ledgerctl %s" % ([r[3] for r in got], roster))
    names = {r[3][0]: r[3][1] for r in got}
    check(names.get("p1") == HOSTILE,
          "p1's name in the DOM: %r" % names.get("p1"))
    check(names.get("p3") == LEAK, "p3's name in the DOM: %r" % names.get("p3"))
    check(dom.cards.get("count-roster") == len(roster) and
          dom.cards.get("count-loops") == len(loops),
          "summary cards %s" % dom.cards)

    # --- The days: each at its end, as ledgerctl answers then. ---
    days = dom.table(id="days")
    check(len(days) == DAYS, "%d days in the table" % len(days))
    for row in days:
        cells = row[3]
        at = cells[1]
        day_roster = csv_rows(run([ctl, "roster", ledger, "--at", at]))
        day_loops = csv_rows(run([ctl, "loops", ledger, "--at", at]))
        want = [str(len(day_roster)),
                str(sum(r["role"] == "case" for r in day_roster)),
                str(sum(r["role"] == "close_contact" for r in day_roster)),
                str(sum(r["role"] == "secondary_contact" for r in day_roster)),
                str(len(day_loops))]
        check(cells[2:] == want, "day %s at %s: %s, ledgerctl %s" %
              (cells[0], at, cells[2:], want))
        if cells[0] != AT[:10]:
            check(at == cells[0] + "T23:59:59.999999999+08:00",
                  "day %s evaluated at %s" % (cells[0], at))
    check(days and days[-1][3][1] == AT, "the last day is not at --at")

    # --- The chains' cases. ---
    chains = csv_rows(run([ctl, "chains", ledger] + q))
    want_cases = sorted({c["from"] for c in chains} |
                        {c["to"] for c in chains if c["to"]})
    check(sorted(dom.cases) == want_cases,
          "chains drawn with cases %s, ledgerctl %s" % (dom.cases, want_cases))

    # --- --redact and --scope (the page's text). ---
    redacted = work / "redacted.html"
    run([ctl, "dashboard", ledger, "--at", AT, "--out", redacted, "--redact"])
    text = redacted.read_text(encoding="utf-8")
    check("Li Na" not in text and "Zhang San" not in text and
          "alert(1)" not in text and "L****" in text,
          "the --redact page shows names")
    scoped = work / "scoped.html"
    run([ctl, "dashboard", ledger, "--at", AT, "--out", scoped, "--scope",
         "t2"])
    text = scoped.read_text(encoding="utf-8")
    check('data-parent="t2"' in text and 'data-person="p1"' not in text,
          "the --scope t2 page is not t2's")

    print("%d failed" % len(failures) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
