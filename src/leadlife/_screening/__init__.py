"""Screening with respect: why a lead is screened out, and when that is reviewed."""
