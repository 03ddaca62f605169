//! Read models, obligations and the performance report of citizen files (being written).
