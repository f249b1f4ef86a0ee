from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ring_strategy import RingStrategy
from ..types import UNSET, Unset

T = TypeVar("T", bound="RingGroupCreate")


@_attrs_define
class RingGroupCreate:
    """
    Attributes:
        number (str): A dialable number: digits with an optional leading `+`.
        members (list[str]):
        name (str | Unset):  Default: ''.
        strategy (RingStrategy | Unset):  Default: RingStrategy.SIMULTANEOUS.
        member_timeout_s (int | Unset):  Default: 20.
        timeout_s (int | Unset):  Default: 60.
        fallback (str | Unset): A dialable number, or `voicemail:<extension>` for that extension's voicemail box.
        reject_code (int | Unset):
        enabled (bool | Unset):  Default: True.
    """

    number: str
    members: list[str]
    name: str | Unset = ""
    strategy: RingStrategy | Unset = RingStrategy.SIMULTANEOUS
    member_timeout_s: int | Unset = 20
    timeout_s: int | Unset = 60
    fallback: str | Unset = UNSET
    reject_code: int | Unset = UNSET
    enabled: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        members = self.members

        name = self.name

        strategy: str | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy.value

        member_timeout_s = self.member_timeout_s

        timeout_s = self.timeout_s

        fallback = self.fallback

        reject_code = self.reject_code

        enabled = self.enabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "members": members,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if strategy is not UNSET:
            field_dict["strategy"] = strategy
        if member_timeout_s is not UNSET:
            field_dict["member_timeout_s"] = member_timeout_s
        if timeout_s is not UNSET:
            field_dict["timeout_s"] = timeout_s
        if fallback is not UNSET:
            field_dict["fallback"] = fallback
        if reject_code is not UNSET:
            field_dict["reject_code"] = reject_code
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        members = cast(list[str], d.pop("members"))

        name = d.pop("name", UNSET)

        _strategy = d.pop("strategy", UNSET)
        strategy: RingStrategy | Unset
        if isinstance(_strategy, Unset):
            strategy = UNSET
        else:
            strategy = RingStrategy(_strategy)

        member_timeout_s = d.pop("member_timeout_s", UNSET)

        timeout_s = d.pop("timeout_s", UNSET)

        fallback = d.pop("fallback", UNSET)

        reject_code = d.pop("reject_code", UNSET)

        enabled = d.pop("enabled", UNSET)

        ring_group_create = cls(
            number=number,
            members=members,
            name=name,
            strategy=strategy,
            member_timeout_s=member_timeout_s,
            timeout_s=timeout_s,
            fallback=fallback,
            reject_code=reject_code,
            enabled=enabled,
        )

        ring_group_create.additional_properties = d
        return ring_group_create

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
