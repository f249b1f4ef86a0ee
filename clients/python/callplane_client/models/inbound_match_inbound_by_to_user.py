from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.inbound_match_inbound_by_to_user_kind import InboundMatchInboundByToUserKind

T = TypeVar("T", bound="InboundMatchInboundByToUser")


@_attrs_define
class InboundMatchInboundByToUser:
    """How Callplane recognises calls arriving from this trunk.

    Attributes:
        user (str):
        kind (InboundMatchInboundByToUserKind):  Example: to_user.
    """

    user: str
    kind: InboundMatchInboundByToUserKind
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user = self.user

        kind = self.kind.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user": user,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user = d.pop("user")

        kind = InboundMatchInboundByToUserKind(d.pop("kind"))

        inbound_match_inbound_by_to_user = cls(
            user=user,
            kind=kind,
        )

        inbound_match_inbound_by_to_user.additional_properties = d
        return inbound_match_inbound_by_to_user

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
