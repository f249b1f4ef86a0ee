from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MenuPromptView")


@_attrs_define
class MenuPromptView:
    """A menu's prompt after an upload.

    Attributes:
        custom (bool): Whether the menu has its own prompt (else callers hear "Please choose an option.").
        duration_s (float | Unset): The uploaded prompt's length, in seconds.
    """

    custom: bool
    duration_s: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custom = self.custom

        duration_s = self.duration_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "custom": custom,
            }
        )
        if duration_s is not UNSET:
            field_dict["duration_s"] = duration_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        custom = d.pop("custom")

        duration_s = d.pop("duration_s", UNSET)

        menu_prompt_view = cls(
            custom=custom,
            duration_s=duration_s,
        )

        menu_prompt_view.additional_properties = d
        return menu_prompt_view

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
