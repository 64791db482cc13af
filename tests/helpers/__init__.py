"""Test helpers: a scripted HTTP server on loopback and model-driven example parameters."""
