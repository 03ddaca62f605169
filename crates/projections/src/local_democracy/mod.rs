//! Read models, obligations and the committee report of the local registers (being written).
