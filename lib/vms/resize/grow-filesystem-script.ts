// Grows the guest's root filesystem to its disk, run as root after the disk grew under a running
// guest (virtio-blk tells the kernel of the new capacity). A root on a whole disk (the lab image) is
// grown directly; on a partition, growpart widens it first where cloud-guest-utils is installed.
// Prints the root filesystem's size in bytes afterwards, which the job checks.
export const GROW_FILESYSTEM_SCRIPT = `set -eu
src=$(findmnt -n -o SOURCE /)
fstype=$(findmnt -n -o FSTYPE /)
dev=$(readlink -f "$src")
name=\${dev#/dev/}
if [ -f "/sys/class/block/$name/partition" ]; then
  parent=$(lsblk -no PKNAME "$dev" | head -n1)
  part=$(cat "/sys/class/block/$name/partition")
  if command -v growpart >/dev/null 2>&1; then growpart "/dev/$parent" "$part" >/dev/null || true
  else echo "growpart is not installed: the partition $dev keeps its size" >&2; fi
fi
case "$fstype" in
  ext2|ext3|ext4) resize2fs "$dev" >/dev/null 2>&1 ;;
  xfs) xfs_growfs / >/dev/null ;;
  *) echo "cannot grow a $fstype root filesystem" >&2; exit 3 ;;
esac
df -B1 --output=size / | tail -n1 | tr -d ' '
`;
