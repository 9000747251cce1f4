"""Kinds of organisation unit. Pure: the tree's vocabulary, shared by models and API."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    NATIONAL_NODAL = "national_nodal"
    STATE_NODAL = "state_nodal"
    DEPARTMENT = "department"
    DIRECTORATE = "directorate"
    DISTRICT = "district"
    CIRCLE = "circle"
    SUB_DIVISION = "sub_division"
    BLOCK = "block"
    OFFICE = "office"
    CELL = "cell"
    CALL_CENTRE = "call_centre"
