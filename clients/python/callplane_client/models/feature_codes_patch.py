from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FeatureCodesPatch")


@_attrs_define
class FeatureCodesPatch:
    """Body of `PATCH /api/v1/feature-codes`: only the fields present change.

    Attributes:
        group_pickup (str | Unset):
        directed_pickup (str | Unset):
        dnd_on (str | Unset):
        dnd_off (str | Unset):
        forward_on (str | Unset):
        forward_off (str | Unset):
        voicemail (str | Unset):
        voicemail_deposit (str | Unset):
        park (str | Unset):
        park_first_slot (int | Unset):
        park_last_slot (int | Unset):
        park_timeout_s (int | Unset):
    """

    group_pickup: str | Unset = UNSET
    directed_pickup: str | Unset = UNSET
    dnd_on: str | Unset = UNSET
    dnd_off: str | Unset = UNSET
    forward_on: str | Unset = UNSET
    forward_off: str | Unset = UNSET
    voicemail: str | Unset = UNSET
    voicemail_deposit: str | Unset = UNSET
    park: str | Unset = UNSET
    park_first_slot: int | Unset = UNSET
    park_last_slot: int | Unset = UNSET
    park_timeout_s: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        group_pickup = self.group_pickup

        directed_pickup = self.directed_pickup

        dnd_on = self.dnd_on

        dnd_off = self.dnd_off

        forward_on = self.forward_on

        forward_off = self.forward_off

        voicemail = self.voicemail

        voicemail_deposit = self.voicemail_deposit

        park = self.park

        park_first_slot = self.park_first_slot

        park_last_slot = self.park_last_slot

        park_timeout_s = self.park_timeout_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if group_pickup is not UNSET:
            field_dict["group_pickup"] = group_pickup
        if directed_pickup is not UNSET:
            field_dict["directed_pickup"] = directed_pickup
        if dnd_on is not UNSET:
            field_dict["dnd_on"] = dnd_on
        if dnd_off is not UNSET:
            field_dict["dnd_off"] = dnd_off
        if forward_on is not UNSET:
            field_dict["forward_on"] = forward_on
        if forward_off is not UNSET:
            field_dict["forward_off"] = forward_off
        if voicemail is not UNSET:
            field_dict["voicemail"] = voicemail
        if voicemail_deposit is not UNSET:
            field_dict["voicemail_deposit"] = voicemail_deposit
        if park is not UNSET:
            field_dict["park"] = park
        if park_first_slot is not UNSET:
            field_dict["park_first_slot"] = park_first_slot
        if park_last_slot is not UNSET:
            field_dict["park_last_slot"] = park_last_slot
        if park_timeout_s is not UNSET:
            field_dict["park_timeout_s"] = park_timeout_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        group_pickup = d.pop("group_pickup", UNSET)

        directed_pickup = d.pop("directed_pickup", UNSET)

        dnd_on = d.pop("dnd_on", UNSET)

        dnd_off = d.pop("dnd_off", UNSET)

        forward_on = d.pop("forward_on", UNSET)

        forward_off = d.pop("forward_off", UNSET)

        voicemail = d.pop("voicemail", UNSET)

        voicemail_deposit = d.pop("voicemail_deposit", UNSET)

        park = d.pop("park", UNSET)

        park_first_slot = d.pop("park_first_slot", UNSET)

        park_last_slot = d.pop("park_last_slot", UNSET)

        park_timeout_s = d.pop("park_timeout_s", UNSET)

        feature_codes_patch = cls(
            group_pickup=group_pickup,
            directed_pickup=directed_pickup,
            dnd_on=dnd_on,
            dnd_off=dnd_off,
            forward_on=forward_on,
            forward_off=forward_off,
            voicemail=voicemail,
            voicemail_deposit=voicemail_deposit,
            park=park,
            park_first_slot=park_first_slot,
            park_last_slot=park_last_slot,
            park_timeout_s=park_timeout_s,
        )

        feature_codes_patch.additional_properties = d
        return feature_codes_patch

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
