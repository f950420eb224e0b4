//! End-to-end tests of the ghcr-doctor binary.
