#!/usr/bin/python3
"""End-to-end test of termd, the serial console's terminal daemon (termd/).

One boot inside a tmux pane (the terminal at the far end of the serial
line), with termd on the console as `make run` has it.  Checks: the
shell runs on a pty (/dev/pts/0, TERM xterm-256color); `stty size` is the
pane's size, and after resizing the pane and `termd resize` (or the
escape Ctrl-] r) the new one; `exit` gets a new shell on the pty;
Debian's vim.tiny edits a file (ASCII and UTF-8, visual mode, search,
undo, :split, :wq) and its screen equals, cell for cell, the screen the
same keys give vim.tiny on the host in a pane of the same size; a burst
of 1000 kernel messages (#cons/kprint) while vim is in insert mode leaves
the screen intact, is announced in the window title and shown after vim
exits, and dmesg holds all of them; ncurses tput gives the size; busybox
less shows the screen the host's busybox less shows; busybox top draws
and quits cleanly; the monitor escape (Ctrl-G twice)
enters the kernel monitor while vim runs and `continue` gives back an
intact vim; the pane resized under the running vim and Ctrl-] r: vim
redraws at the new size, the screen the host's vim shows after the same
keys and resize, and again back at the old size; busybox sh job control on the pty (&, jobs, fg, ^Z, bg, kill
%1, ^C); random bytes (broken escapes included; not BEL, the monitor
escape, nor Ctrl-A, QEMU's) into a raw reader, which must get every one of them, and into
the shell's line editor: the shell answers afterwards.  Prints "N passed, N failed".
"""
import os
import random
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from guest import RUN, Tmux, check, qemu_run_args, summary  # noqa: E402

W1, H1 = 100, 30		# the pane at boot
W2, H2 = 120, 40		# after the resize
VIM_KEYS = [("text", "ihello wörld"), ("key", "Escape"),
            ("text", "oline two ümlaut"), ("key", "Escape"),
            ("text", "ggVy"), ("text", "Gp"), ("text", "u"),
            ("text", "/wör"), ("key", "Enter"),
            ("text", ":split"), ("key", "Enter")]
LESS_KEYS = [("text", " "), ("text", "/line 77"), ("key", "Enter"), ("text", "k")]
# Never sent as random bytes: BEL (two within 500 ms enter the monitor) and
# Ctrl-A (QEMU's mon:stdio escape: it never reaches the serial line).
NOT_RANDOM = {0x07, 0x01}


def press(t, keys):
    for kind, k in keys:
        if kind == "text":
            t.send_text(k)
        else:
            t.send_keys(k)
        time.sleep(0.15)


def settle(t, timeout=10):
    """The screen once it stopped changing for 0.6 s."""
    last, since, end = None, time.time(), time.time() + timeout
    while time.time() < end:
        s = t.screen()
        if s != last:
            last, since = s, time.time()
        elif time.time() - since > 0.6:
            break
        time.sleep(0.1)
    return last


def sh(t, cmd, pattern, timeout=20):
    """Type cmd and Enter; the match of pattern on the screen, or None."""
    t.send_text(cmd)
    t.send_keys("Enter")
    return t.wait_screen(pattern, timeout)


def title(t):
    return t.tmux("display-message", "-p", "-t", "main", "#{pane_title}").strip()


def host_screen(tmp, cmd, keys, ready=r"."):
    """The screen the same keys give cmd on the host (in tmp, pane W2 x H2)."""
    h = Tmux("termd-host", ["env", "-i", "HOME=" + tmp, "TERM=xterm-256color",
                            "LANG=C.UTF-8", "sh", "-c", "cd %s && exec %s" % (tmp, cmd)],
             width=W2, height=H2)
    h.wait_screen(ready, 10)
    settle(h)
    press(h, keys)
    screen = settle(h)
    h.close()
    return screen


def host_vim_resized(tmp, keys, sizes):
    """The screen the host's vim.tiny shows after keys (pane W2 x H2) and
    then the pane resized to each (w, h) of sizes in turn; in a fresh
    folder of tmp, so no swap file of another run is found."""
    d = tempfile.mkdtemp(dir=tmp)
    h = Tmux("termd-host", ["env", "-i", "HOME=" + d, "TERM=xterm-256color", "LANG=C.UTF-8",
                            "sh", "-c", "cd %s && exec vim.tiny -i NONE t.txt" % d],
             width=W2, height=H2)
    h.wait_screen(r"t\.txt", 10)
    settle(h)
    press(h, keys)
    settle(h)
    for w, hh in sizes:
        h.tmux("resize-window", "-t", "main", "-x", str(w), "-y", str(hh))
        settle(h)
    screen = settle(h)
    h.close()
    return screen


def first_diff(a, b):
    """The first differing row of two screens, (index, a row, b row), or None."""
    return next(((i, x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y), None)


def random_bytes(n, exclude):
    rnd = random.Random(12)
    out = []
    while len(out) < n:
        b = rnd.randrange(256)
        if rnd.random() < 0.1:
            out += [0x1b, 0x5b] + [rnd.randrange(0x20, 0x7f) for _ in range(rnd.randrange(5))]
        elif b not in exclude:
            out.append(b)
    return [b for b in out if b not in exclude][:n]


def send_bytes(t, data, chunk=200, pause=0.05):
    for i in range(0, len(data), chunk):
        t.tmux("send-keys", "-t", "main", "-H", *["%02x" % b for b in data[i:i + chunk]])
        time.sleep(pause)


def main():
    if not shutil.which("tmux") or not shutil.which("vim.tiny"):
        check("host-tools", False, "tmux and vim.tiny are needed (tools/install-deps)")
        return summary()
    tmp = tempfile.mkdtemp(prefix="termd-vim.")
    t0 = time.time()
    t = Tmux("termd", [RUN] + qemu_run_args(append="termd=1", timeout=240), width=W1, height=H1)
    try:
        ok = t.wait_screen(r"^~ #$", 90) is not None
        t.check("boot-to-termd-shell", ok)
        if not ok:
            return summary()
        t.check("pty-and-term", sh(t, "echo T=$(tty),$TERM", r"^T=/dev/pts/0,xterm-256color$")
                is not None)
        t.check("size-at-boot", sh(t, "echo S1=$(stty size)", r"^S1=%d %d$" % (H1, W1))
                is not None)
        t.tmux("resize-window", "-t", "main", "-x", str(W2), "-y", str(H2))
        time.sleep(0.3)
        t.check("size-after-termd-resize",
                sh(t, "termd resize; echo S2=$(stty size)", r"^S2=%d %d$" % (H2, W2)) is not None)

        t.tmux("resize-window", "-t", "main", "-x", str(W1), "-y", str(H1))
        time.sleep(0.3)
        t.send_keys("C-]")
        t.send_text("r")
        time.sleep(1)
        t.check("size-after-ctrl-]-r", sh(t, "echo S3=$(stty size)", r"^S3=%d %d$" % (H1, W1))
                is not None)
        t.tmux("resize-window", "-t", "main", "-x", str(W2), "-y", str(H2))
        time.sleep(0.3)
        sh(t, "termd resize", r"#$")
        t.check("shell-restarted-after-exit",
                sh(t, "exit", r"^~ #$", 15) is not None and
                sh(t, "echo E=$(tty)", r"^E=/dev/pts/0$") is not None)

        # vim, with a burst of kernel messages due while it is in insert mode.
        sh(t, "clear; cd /tmp", r"#$")
        sh(t, "(sleep 6; i=0; while [ $i -lt 1000 ]; do echo \"kburst $i\"; i=$((i+1)); "
           "done > '#cons/kprint') &", r"#$")
        t.send_text("vim t.txt")
        t.send_keys("Enter")
        t.wait_screen(r"t\.txt", 20)
        settle(t)
        press(t, VIM_KEYS)
        target = settle(t)
        host = host_screen(tmp, "vim.tiny -i NONE t.txt", VIM_KEYS, r"t\.txt")
        t.check("vim-screen-equals-host", target == host,
                "first differing row: %s" % next(
                    ((i, a, b) for i, (a, b) in enumerate(zip(target, host)) if a != b), None))
        t.send_text("Go")
        time.sleep(0.5)
        before = settle(t)
        end = time.time() + 40
        while time.time() < end and not re.search(r"termd: (\d{4,}) kernel", title(t)):
            time.sleep(0.3)
        m = re.search(r"termd: (\d+) kernel", title(t))
        t.check("kmsg-burst-announced-in-title", m and int(m.group(1)) >= 1000, title(t))
        t.check("kmsg-burst-screen-intact", settle(t) == before)
        t.send_text("last ÿ")
        t.send_keys("Escape")
        before = settle(t)
        t.send_keys("C-g")
        t.send_keys("C-g")
        t.check("monitor-from-vim", t.wait_screen(r"^K>", 10) is not None)
        t.send_text("continue")
        t.send_keys("Enter")
        end, after = time.time() + 10, None
        while time.time() < end:
            after = settle(t, 3)
            if after == before:
                break
        t.check("vim-intact-after-monitor", after == before)

        # The terminal resized under a running vim: after Ctrl-] r vim
        # redraws at the new size, as the host's vim does for the same keys
        # and resizes (there tmux sends SIGWINCH itself); then back again.
        done_keys = VIM_KEYS + [("text", "Golast ÿ"), ("key", "Escape")]
        sizes = []
        for w, h, name in ((W1, H1, "vim-redraws-at-new-size"), (W2, H2, "vim-redraws-back")):
            sizes.append((w, h))
            host = host_vim_resized(tmp, done_keys, sizes)
            t.tmux("resize-window", "-t", "main", "-x", str(w), "-y", str(h))
            time.sleep(0.3)
            t.send_keys("C-]")
            t.send_text("r")
            end, after = time.time() + 10, None
            while time.time() < end:
                after = settle(t, 3)
                if after == host:
                    break
            t.check(name, after == host, "first differing row: %r" % (first_diff(after, host),))
        t.send_text(":only")
        t.send_keys("Enter")
        t.send_text(":wq")
        t.send_keys("Enter")
        t.check("held-kmsgs-shown-after-vim", t.wait_screen(r"kburst 999", 15) is not None)
        t.check("file-content", sh(t, "clear; echo F=$(md5sum < t.txt)",
                                   r"^F=([0-9a-f]{32})") is not None)
        want = __import__("hashlib").md5("hello wörld\nline two ümlaut\nlast ÿ\n"
                                         .encode()).hexdigest()
        t.check("file-content-exact", t.wait_screen(r"^F=%s" % want, 5) is not None)
        t.check("dmesg-has-every-kmsg",
                sh(t, "echo D=$(dmesg | grep -c 'kburst ')", r"^D=1000$") is not None)

        # ncurses tput, busybox less (screen equal to the host's) and top.
        t.check("tput-size", sh(t, "clear; echo TP=$(tput cols)x$(tput lines)",
                                r"^TP=%dx%d$" % (W2, H2)) is not None)
        lines = "".join("line %d %s\n" % (i, "ü" * (i % 7)) for i in range(1, 201))
        with open(os.path.join(tmp, "l.txt"), "w") as f:
            f.write(lines)
        sh(t, "awk 'BEGIN { for (i = 1; i <= 200; i++) { s = \"\"; "
           "for (j = 0; j < i % 7; j++) s = s \"ü\"; print \"line \" i \" \" s } }' "
           "> l.txt; echo L=$(md5sum < l.txt)", r"^L=[0-9a-f]{32}")
        t.check("less-file-made", t.wait_screen(
            r"^L=%s" % __import__("hashlib").md5(lines.encode()).hexdigest(), 5) is not None)
        t.send_text("less l.txt")
        t.send_keys("Enter")
        t.wait_screen(r"^line 3", 10)
        press(t, LESS_KEYS)
        host = host_screen(tmp, "busybox less l.txt", LESS_KEYS)
        # A stable screen is not yet a finished one when the host is loaded: wait for it.
        end, target = time.time() + 20, None
        while time.time() < end:
            target = settle(t, 3)
            if target == host:
                break
        t.check("less-screen-equals-host", target == host,
                "first differing row: %r" % (first_diff(target, host),))
        t.send_text("q")
        t.check("less-quits", sh(t, "echo Q=1", r"^Q=1$") is not None)
        t.send_text("top")
        t.send_keys("Enter")
        t.check("top-draws", t.wait_screen(r"PID\s+PPID\s+USER", 15) is not None)
        t.send_text("q")
        t.check("top-quits-cleanly", sh(t, "clear; echo TQ=1", r"^TQ=1$") is not None)

        # Job control on the pty.
        sh(t, "clear; sleep 100 &", r"#$")
        t.check("job-bg-listed", sh(t, "jobs", r"\[1\]\+\s+Running\s+sleep 100") is not None)
        t.send_text("fg")
        t.send_keys("Enter")
        time.sleep(1)
        t.send_keys("C-z")
        t.check("job-ctrl-z-stops", t.wait_screen(r"\[1\]\+\s+Stopped\s+sleep 100") is not None)
        t.check("job-bg", sh(t, "bg; echo B=ok", r"^B=ok") is not None)
        t.check("job-kill", sh(t, "kill %1; sleep 0.3; jobs; echo K=done",
                               r"Terminated\s+sleep 100\n(.*\n)*K=done") is not None)
        t.send_text("sleep 50")
        t.send_keys("Enter")
        time.sleep(1)
        t.send_keys("C-c")
        t.check("job-ctrl-c", sh(t, "echo C=$?", r"^C=130$", 10) is not None)

        # Random bytes: into a raw reader, then into the line editor.
        sh(t, "clear; stty raw -echo; head -c 8000 >/dev/null; stty sane; echo RAW=done",
           r"head -c", 5)
        time.sleep(0.5)
        send_bytes(t, random_bytes(8000, NOT_RANDOM | {0x1d}))
        t.check("random-into-raw-reader-every-byte", t.wait_screen(r"^RAW=done", 20) is not None)
        # The garbage ends inside "ESC [": the "x" completes that sequence, so the Ctrl-Cs
        # below are keys whatever the line editor's escape timeout and the host's load.
        send_bytes(t, random_bytes(1500, NOT_RANDOM | {0x0d, 0x0a, 0x04, 0x0f, 0x13}) + [0x78],
                   pause=0.1)
        time.sleep(1)
        t.send_keys("C-c")
        time.sleep(0.5)
        t.send_keys("C-c")
        t.check("shell-answers-after-garbage",
                sh(t, "clear; echo ALIVE=$((6*7))", r"^ALIVE=42$", 20) is not None)
        print("     (%.0f s)" % (time.time() - t0))
    finally:
        t.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
