// NatsStream: see nats_stream.h.

#include "lib/replication/nats_stream.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace contactledger {
namespace internal {
namespace {

int64_t Millis(absl::Duration d) {
  return std::max<int64_t>(1, absl::ToInt64Milliseconds(d));
}

}  // namespace

NatsStream::NatsStream(const NatsOptions& options, std::string ledger_id)
    : options_(options),
      ledger_id_(std::move(ledger_id)),
      name_(LedgerStreamName(ledger_id_)),
      subject_(LedgerStreamSubject(ledger_id_)) {}

NatsStream::~NatsStream() {
  if (subscription_ != nullptr) natsSubscription_Destroy(subscription_);
  if (js_ != nullptr) jsCtx_Destroy(js_);
  if (connection_ != nullptr) natsConnection_Destroy(connection_);
}

absl::Status NatsStream::Error(absl::string_view what, natsStatus status,
                               jsErrCode code) const {
  std::string text = absl::StrCat("NATS stream ", name_, ": ", what, ": ",
                                  natsStatus_GetText(status));
  if (code != 0) absl::StrAppend(&text, " (JetStream error ", code, ")");
  const char* last = nats_GetLastError(nullptr);
  if (last != nullptr && *last != '\0') absl::StrAppend(&text, ": ", last);
  if (Transient(status, code)) return absl::UnavailableError(text);
  if (status == NATS_NOT_FOUND) return absl::NotFoundError(text);
  return absl::InternalError(text);
}

absl::StatusOr<std::unique_ptr<NatsStream>> NatsStream::Connect(
    const NatsOptions& options, const std::string& ledger_id, bool create) {
  if (options.servers.empty()) {
    return absl::InvalidArgumentError("NatsOptions.servers: is empty");
  }
  std::unique_ptr<NatsStream> stream(new NatsStream(options, ledger_id));
  if (absl::Status s = stream->Open(create); !s.ok()) return s;
  return stream;
}

absl::Status NatsStream::Open(bool create) {
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  std::vector<const char*> servers;
  for (const std::string& server : options_.servers) {
    servers.push_back(server.c_str());
  }
  if (s == NATS_OK) {
    s = natsOptions_SetServers(opts, servers.data(),
                               static_cast<int>(servers.size()));
  }
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, Millis(options_.timeout));
  if (s == NATS_OK) s = natsOptions_SetAllowReconnect(opts, true);
  // Reconnect for as long as operations are retried.
  if (s == NATS_OK) {
    s = natsOptions_SetMaxReconnect(
        opts, static_cast<int>(Millis(options_.retry_for) / 200 + 1));
  }
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 200);
  if (s == NATS_OK) s = natsOptions_SetName(opts, "contactledger");
  if (s == NATS_OK) s = natsConnection_Connect(&connection_, opts);
  if (opts != nullptr) natsOptions_Destroy(opts);
  if (s != NATS_OK) {
    return absl::UnavailableError(
        absl::StrCat("NATS: cannot connect to ", options_.servers.front(),
                     options_.servers.size() > 1 ? " or the others" : "", ": ",
                     natsStatus_GetText(s)));
  }
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = Millis(options_.timeout);
  s = natsConnection_JetStream(&js_, connection_, &js_options);
  if (s != NATS_OK) return Error("JetStream context", s, jsErrCode(0));

  jsErrCode code = static_cast<jsErrCode>(0);
  jsStreamInfo* info = nullptr;
  s = Retrying(options_.retry_for, &code, [&] {
    return js_GetStreamInfo(&info, js_, name_.c_str(), nullptr, &code);
  });
  if (info != nullptr) jsStreamInfo_Destroy(info);
  if (s == NATS_OK) return absl::OkStatus();
  if (s != NATS_NOT_FOUND && code != JSStreamNotFoundErr) {
    return Error("stream info", s, code);
  }
  if (!create) {
    return absl::NotFoundError(
        absl::StrCat("NATS: no stream ", name_, " for ledger '", ledger_id_,
                     "': nothing was shipped of it (ledgerctl ship)"));
  }
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  const char* subjects[] = {subject_.c_str()};
  config.Name = name_.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Replicas = options_.replicas;
  config.DenyDelete = true;
  config.DenyPurge = true;
  // Retried publishes within this window are recognised by their MsgId.
  config.Duplicates = absl::ToInt64Nanoseconds(absl::Minutes(2));
  info = nullptr;
  s = Retrying(options_.retry_for, &code, [&] {
    return js_AddStream(&info, js_, &config, nullptr, &code);
  });
  if (info != nullptr) jsStreamInfo_Destroy(info);
  // Another shipper may have created it meanwhile: that is fine.
  if (s != NATS_OK) {
    info = nullptr;
    if (js_GetStreamInfo(&info, js_, name_.c_str(), nullptr, &code) ==
        NATS_OK) {
      jsStreamInfo_Destroy(info);
      return absl::OkStatus();
    }
    return Error("creating the stream", s, code);
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> NatsStream::LastSequence() {
  jsErrCode code = static_cast<jsErrCode>(0);
  jsStreamInfo* info = nullptr;
  const natsStatus s = Retrying(options_.retry_for, &code, [&] {
    return js_GetStreamInfo(&info, js_, name_.c_str(), nullptr, &code);
  });
  if (s != NATS_OK) return Error("stream info", s, code);
  const uint64_t last = info->State.LastSeq;
  jsStreamInfo_Destroy(info);
  return last;
}

absl::StatusOr<StreamMessage> NatsStream::Get(uint64_t sequence) {
  jsErrCode code = static_cast<jsErrCode>(0);
  natsMsg* msg = nullptr;
  const natsStatus s = Retrying(options_.retry_for, &code, [&] {
    return js_GetMsg(&msg, js_, name_.c_str(), sequence, nullptr, &code);
  });
  if (s != NATS_OK) {
    if (s == NATS_NOT_FOUND || code == JSNoMessageFoundErr) {
      return absl::NotFoundError(
          absl::StrCat("NATS stream ", name_, ": no message ", sequence));
    }
    return Error(absl::StrCat("reading message ", sequence), s, code);
  }
  StreamMessage message;
  message.sequence = natsMsg_GetSequence(msg);
  message.data.assign(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
  natsMsg_Destroy(msg);
  return message;
}

absl::StatusOr<PublishAck> NatsStream::Publish(absl::string_view data,
                                               const std::string& msg_id,
                                               uint64_t expected_last) {
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MsgId = msg_id.c_str();
  options.MaxWait = Millis(options_.timeout);
  // ExpectLastSeq 0 means "not set" to libnats.
  if (expected_last == 0) {
    options.ExpectNoMessage = true;
  } else {
    options.ExpectLastSeq = expected_last;
  }
  jsErrCode code = static_cast<jsErrCode>(0);
  jsPubAck* ack = nullptr;
  const natsStatus s = Retrying(options_.retry_for, &code, [&] {
    return js_Publish(&ack, js_, subject_.c_str(), data.data(),
                      static_cast<int>(data.size()), &options, &code);
  });
  if (s != NATS_OK) {
    if (code == JSStreamWrongLastSequenceErr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "NATS stream ", name_, ": message ", msg_id,
          " was to follow stream sequence ", expected_last,
          ", but the stream holds another there: someone else publishes "
          "to it"));
    }
    return Error(absl::StrCat("publishing ", msg_id), s, code);
  }
  PublishAck result;
  result.sequence = ack->Sequence;
  result.duplicate = ack->Duplicate;
  jsPubAck_Destroy(ack);
  return result;
}

absl::Status NatsStream::ReadFrom(uint64_t from) {
  if (subscription_ != nullptr) {
    natsSubscription_Destroy(subscription_);
    subscription_ = nullptr;
  }
  jsSubOptions sub_options;
  jsSubOptions_Init(&sub_options);
  sub_options.Stream = name_.c_str();
  sub_options.Ordered = true;
  sub_options.Config.DeliverPolicy = js_DeliverByStartSequence;
  sub_options.Config.OptStartSeq = from;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = Retrying(options_.retry_for, &code, [&] {
    return js_SubscribeSync(&subscription_, js_, subject_.c_str(), nullptr,
                            &sub_options, &code);
  });
  if (s != NATS_OK) {
    subscription_ = nullptr;
    return Error(absl::StrCat("reading from message ", from), s, code);
  }
  next_ = from;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StreamMessage>> NatsStream::Next(
    absl::Duration wait) {
  if (subscription_ == nullptr) {
    return absl::FailedPreconditionError("NatsStream::Next before ReadFrom");
  }
  natsMsg* msg = nullptr;
  const natsStatus s =
      natsSubscription_NextMsg(&msg, subscription_, Millis(wait));
  if (s == NATS_TIMEOUT) return std::optional<StreamMessage>();
  if (s != NATS_OK) return Error("reading", s, jsErrCode(0));
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, msg) != NATS_OK) {
    natsMsg_Destroy(msg);
    return absl::DataLossError(absl::StrCat(
        "NATS stream ", name_, ": a delivered message without metadata"));
  }
  StreamMessage message;
  message.sequence = meta->Sequence.Stream;
  jsMsgMetaData_Destroy(meta);
  message.data.assign(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
  natsMsg_Destroy(msg);
  next_ = message.sequence + 1;
  return std::optional<StreamMessage>(std::move(message));
}

}  // namespace internal
}  // namespace contactledger
