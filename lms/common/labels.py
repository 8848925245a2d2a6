"""States with their words: each state a domain stores or shows is one `Labelled` enum, beside
the model or rule it belongs to, holding its stored value and its translatable label.

    class CertificateStatus(Labelled):
        VALID = "valid", _l("Valid")
        REVOKED = "revoked", _l("Revoked")

Members are strings (a StrEnum): they equal, store and print as their value, so the database
keeps the strings it holds. `CertificateStatus.VALID.label` is the lazy label;
`CertificateStatus.label_of(value)` reads a stored value (a value it does not know comes back
unchanged); `CertificateStatus.choices()` fills a select field. Templates get one filter per
state, registered once from the enum (lms.web.STATE_FILTERS); exports and PDFs call
`label_of`. No page, export or PDF keeps a dictionary of its own."""

from enum import StrEnum


class Labelled(StrEnum):
    """A StrEnum whose members are declared as `NAME = "value", _l("Label")`."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label if label is not None else value
        return member

    @property
    def label(self):
        """The member's label (a lazy string: it speaks the request's language)."""
        return self._label

    @classmethod
    def label_of(cls, value):
        """The label of a stored value; an unknown value (or None) comes back unchanged."""
        try:
            return cls(value).label
        except ValueError:
            return value

    @classmethod
    def text_of(cls, value, empty: str = "") -> str:
        """`label_of` as plain text, for exports and PDFs (None gives `empty`)."""
        return empty if value is None else str(cls.label_of(value))

    @classmethod
    def choices(cls, *members, blank=None) -> list[tuple[str, object]]:
        """(value, label) pairs for a select field: `members` (default: all), in order, after a
        blank option when `blank` is given."""
        options = [(m.value, m.label) for m in (members or cls)]
        return [("", blank), *options] if blank is not None else options
