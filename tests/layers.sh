# layers.sh - the direction of dependency between folders holds (STYLE.md).
sh "$TOP/tests/tools/check-layers.sh"
