#!/bin/sh
# kexec-qdh: dracut sources pre-udev hooks, so this must neither exit nor
# fail nor change dracut's shell: the runner (initramfs-tools/scripts/
# init-top/qdh-apply, installed as /usr/sbin/qdh-apply) runs in its own
# process and always exits 0; the subshell keeps set -f to itself.
(
    set -f
    if [ -x /usr/sbin/qdh-apply ]; then
        /usr/sbin/qdh-apply || :
    fi
) || :
