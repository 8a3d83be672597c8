# dyn-epoll.py: Python's event-loop building blocks on epoll and eventfd
# (selectors.EpollSelector, select.epoll, os.eventfd), a dynamic-target
# case of dyn-cases.sh.  asyncio itself needs socket.socketpair for its
# self-pipe, and sockets are not implemented, so this drives the selector
# layer directly, with a child process writing to a pipe.
import os
import select
import selectors
import time

sel = selectors.EpollSelector()
r, w = os.pipe()
e = os.eventfd(0, os.EFD_NONBLOCK)
sel.register(r, selectors.EVENT_READ, "pipe")
sel.register(e, selectors.EVENT_READ, "eventfd")
print("idle", sel.select(0))
os.write(w, b"x")
os.eventfd_write(e, 3)
print("ready", sorted(k.data for k, m in sel.select(1)))
print("read", os.eventfd_read(e), os.read(r, 1))
t0 = time.monotonic()
print("timeout", sel.select(0.05), time.monotonic() - t0 >= 0.04)

pid = os.fork()
if pid == 0:
    time.sleep(0.1)
    os.write(w, b"from child")
    os._exit(0)
print("woken", [k.data for k, m in sel.select(5)], os.read(r, 100))
os.waitpid(pid, 0)
sel.close()

ep = select.epoll()
ep.register(e, select.EPOLLIN | select.EPOLLET)
os.eventfd_write(e, 1)
print("et", [m for f, m in ep.poll(0)], ep.poll(0))
ep.modify(e, select.EPOLLIN | select.EPOLLONESHOT)
print("oneshot", [m for f, m in ep.poll(0)], ep.poll(0))
ep.unregister(e)
os.close(w)
ep.register(r, select.EPOLLIN)
print("hup", ep.poll(0) == [(r, select.EPOLLHUP)])
ep.close()
