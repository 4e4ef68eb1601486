// Layer a.
