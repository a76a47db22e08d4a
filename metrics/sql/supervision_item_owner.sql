-- Whose item it is (数据范围 check before an item's history is shown): region and department.
SELECT region, department
FROM supervision_item
WHERE item_id = $item_id;
