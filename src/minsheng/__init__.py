"""Minsheng (民声): petition and public-grievance handling."""
