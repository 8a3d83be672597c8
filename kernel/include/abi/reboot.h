/*
 * reboot(2) magic numbers and commands.  Mirrors Linux's
 * uapi/linux/reboot.h (glibc's <sys/reboot.h> has the RB_* names of the
 * same commands instead).
 */
#ifndef ABI_REBOOT_H
#define ABI_REBOOT_H

#ifndef LINUX_REBOOT_MAGIC1
#define LINUX_REBOOT_MAGIC1		0xfee1dead
#endif
#ifndef LINUX_REBOOT_MAGIC2
#define LINUX_REBOOT_MAGIC2		672274793
#endif
#ifndef LINUX_REBOOT_CMD_RESTART
#define LINUX_REBOOT_CMD_RESTART	0x01234567
#endif
#ifndef LINUX_REBOOT_CMD_HALT
#define LINUX_REBOOT_CMD_HALT		0xCDEF0123
#endif
#ifndef LINUX_REBOOT_CMD_POWER_OFF
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321FEDC
#endif

#endif
