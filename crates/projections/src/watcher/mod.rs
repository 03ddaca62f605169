//! Read models, obligations and the semester report of the Citizen Watcher (being written).
