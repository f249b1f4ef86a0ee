from enum import StrEnum


class SignatureMatch(StrEnum):
    CONTAINS = "contains"
    EXACT = "exact"
    PREFIX = "prefix"

    def __str__(self) -> str:
        return str(self.value)
