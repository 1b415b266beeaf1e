"""Aarhus-scale benchmark for Opspor: run `bash bench/run.sh` (see bench/README.md)."""
