from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.signature_action import SignatureAction
from ..models.signature_field import SignatureField
from ..models.signature_match import SignatureMatch

T = TypeVar("T", bound="Signature")


@_attrs_define
class Signature:
    """
    Attributes:
        field (SignatureField): Which part of a request a signature looks at.
        match (SignatureMatch): How the pattern is compared (always ignoring ASCII case).
        pattern (str): Compared ignoring ASCII case; 1–200 characters.
        action (SignatureAction): What happens to a matching request.
    """

    field: SignatureField
    match: SignatureMatch
    pattern: str
    action: SignatureAction
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field.value

        match = self.match.value

        pattern = self.pattern

        action = self.action.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "match": match,
                "pattern": pattern,
                "action": action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = SignatureField(d.pop("field"))

        match = SignatureMatch(d.pop("match"))

        pattern = d.pop("pattern")

        action = SignatureAction(d.pop("action"))

        signature = cls(
            field=field,
            match=match,
            pattern=pattern,
            action=action,
        )

        signature.additional_properties = d
        return signature

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
