"""Perjumpaan: the information system of the Sekolah Perjumpaan programme."""
