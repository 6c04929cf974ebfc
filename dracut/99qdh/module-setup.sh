#!/bin/bash
# kexec-qdh dracut module: run `qdh apply` in the kdump initramfs that
# kdump-utils' mkdumprd builds, in a pre-udev hook (before udev binds any
# driver).  mkdumprd exports IN_KDUMP=1 while it runs dracut; elsewhere the
# module is only included when asked for (--add qdh).

check() {
    require_binaries qdh || return 1
    [[ ${IN_KDUMP:-} == 1 ]] && return 0
    return 255
}

depends() {
    return 0
}

install() {
    inst_binary "$(command -v qdh)" /usr/sbin/qdh
    inst_script "$moddir/qdh-apply" /usr/sbin/qdh-apply
    inst_hook pre-udev 10 "$moddir/qdh-pre-udev.sh"
    [[ -r /etc/kexec-qdh/apply.conf ]] && inst_simple /etc/kexec-qdh/apply.conf
    return 0
}
