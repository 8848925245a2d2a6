"""Curricula: training cycles, position curricula, obligations and targets, completions, the
credit ledger, in-person classes and external training."""

from flask import Blueprint

bp = Blueprint("curricula", __name__)
