"""Tests of the archiving layer."""
