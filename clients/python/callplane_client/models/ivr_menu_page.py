from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ivr_menu import IvrMenu


T = TypeVar("T", bound="IvrMenuPage")


@_attrs_define
class IvrMenuPage:
    """One page of a list; pass `next_cursor` as `cursor` to get the next one.

    Attributes:
        items (list[IvrMenu]):
        total (int): Items matching the filter over all pages.
        next_cursor (str | Unset): Absent on the last page.
    """

    items: list[IvrMenu]
    total: int
    next_cursor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        total = self.total

        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "total": total,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ivr_menu import IvrMenu  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = IvrMenu.from_dict(items_item_data)

            items.append(items_item)

        total = d.pop("total")

        next_cursor = d.pop("next_cursor", UNSET)

        ivr_menu_page = cls(
            items=items,
            total=total,
            next_cursor=next_cursor,
        )

        ivr_menu_page.additional_properties = d
        return ivr_menu_page

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
