//! The operator's manifests (being written).
