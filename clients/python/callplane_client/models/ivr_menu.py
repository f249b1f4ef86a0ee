from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ivr_menu_options import IvrMenuOptions
    from ..models.ivr_target import IvrTarget


T = TypeVar("T", bound="IvrMenu")


@_attrs_define
class IvrMenu:
    """
    Attributes:
        id (str):
        number (str): Dialling it enters the menu (as do routes of kind `ivr`, Lua services answering
            with it, and other menus). Unique across extensions, ring groups and menus.
        name (str):
        options (IvrMenuOptions): Key (`0`–`9`, `*`, `#`) → where it leads.
        timeout_s (int): Seconds to wait for a key once the prompt has played (1–60).
        retries (int): How many more times the prompt plays after no key or a key with no option (0–5).
        enabled (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        fallback (IvrTarget | Unset): Where a key (or the menu's fallback) leads.
    """

    id: str
    number: str
    name: str
    options: IvrMenuOptions
    timeout_s: int
    retries: int
    enabled: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    fallback: IvrTarget | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number = self.number

        name = self.name

        options = self.options.to_dict()

        timeout_s = self.timeout_s

        retries = self.retries

        enabled = self.enabled

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        fallback: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fallback, Unset):
            fallback = self.fallback.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "name": name,
                "options": options,
                "timeout_s": timeout_s,
                "retries": retries,
                "enabled": enabled,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if fallback is not UNSET:
            field_dict["fallback"] = fallback

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ivr_menu_options import IvrMenuOptions  # noqa: PLC0415
        from ..models.ivr_target import IvrTarget  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        name = d.pop("name")

        options = IvrMenuOptions.from_dict(d.pop("options"))

        timeout_s = d.pop("timeout_s")

        retries = d.pop("retries")

        enabled = d.pop("enabled")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _fallback = d.pop("fallback", UNSET)
        fallback: IvrTarget | Unset
        if isinstance(_fallback, Unset):
            fallback = UNSET
        else:
            fallback = IvrTarget.from_dict(_fallback)

        ivr_menu = cls(
            id=id,
            number=number,
            name=name,
            options=options,
            timeout_s=timeout_s,
            retries=retries,
            enabled=enabled,
            created_at=created_at,
            updated_at=updated_at,
            fallback=fallback,
        )

        ivr_menu.additional_properties = d
        return ivr_menu

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
