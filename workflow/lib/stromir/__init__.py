"""stromir: scientific logic of the stromir workflow, as pure, unit-tested functions."""
