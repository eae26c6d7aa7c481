//! Offline checks of mission and weapon files (being written).
