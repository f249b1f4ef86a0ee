from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ring_strategy import RingStrategy
from ..types import UNSET, Unset

T = TypeVar("T", bound="RingGroup")


@_attrs_define
class RingGroup:
    """
    Attributes:
        id (str):
        number (str): Unique across extensions and ring groups.
        name (str):
        strategy (RingStrategy):
        members (list[str]): Numbers of extensions or external numbers.
        member_timeout_s (int):
        timeout_s (int): Total time before the fallback applies.
        enabled (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        fallback (str | Unset): Where the call goes when nobody answers: a number, or `voicemail:<extension>`.
        reject_code (int | Unset): SIP code the caller gets when nobody answers and there is no fallback (default 480).
    """

    id: str
    number: str
    name: str
    strategy: RingStrategy
    members: list[str]
    member_timeout_s: int
    timeout_s: int
    enabled: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    fallback: str | Unset = UNSET
    reject_code: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number = self.number

        name = self.name

        strategy = self.strategy.value

        members = self.members

        member_timeout_s = self.member_timeout_s

        timeout_s = self.timeout_s

        enabled = self.enabled

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        fallback = self.fallback

        reject_code = self.reject_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "name": name,
                "strategy": strategy,
                "members": members,
                "member_timeout_s": member_timeout_s,
                "timeout_s": timeout_s,
                "enabled": enabled,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if fallback is not UNSET:
            field_dict["fallback"] = fallback
        if reject_code is not UNSET:
            field_dict["reject_code"] = reject_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        name = d.pop("name")

        strategy = RingStrategy(d.pop("strategy"))

        members = cast(list[str], d.pop("members"))

        member_timeout_s = d.pop("member_timeout_s")

        timeout_s = d.pop("timeout_s")

        enabled = d.pop("enabled")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        fallback = d.pop("fallback", UNSET)

        reject_code = d.pop("reject_code", UNSET)

        ring_group = cls(
            id=id,
            number=number,
            name=name,
            strategy=strategy,
            members=members,
            member_timeout_s=member_timeout_s,
            timeout_s=timeout_s,
            enabled=enabled,
            created_at=created_at,
            updated_at=updated_at,
            fallback=fallback,
            reject_code=reject_code,
        )

        ring_group.additional_properties = d
        return ring_group

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
