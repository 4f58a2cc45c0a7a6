#include "linux/netdev.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/cleanup.h"

#define NETDEV_MAX_ADDRS 64

struct nl_req {
	struct nlmsghdr h;
	char payload[512];
};

struct netdev_addr {
	unsigned char family;
	unsigned char prefixlen;
	unsigned char addr[16];
};

static int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	return fd < 0 ? -errno : fd;
}

static void nl_init(struct nl_req *req, unsigned short type, unsigned short flags, const void *hdr,
		    size_t len)
{
	memset(req, 0, sizeof(*req));
	req->h.nlmsg_len = NLMSG_LENGTH(len);
	req->h.nlmsg_type = type;
	req->h.nlmsg_flags = NLM_F_REQUEST | flags;
	memcpy(NLMSG_DATA(&req->h), hdr, len);
}

static void nl_attr(struct nl_req *req, unsigned short type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(req->h.nlmsg_len);
	struct rtattr *rta = (struct rtattr *)((char *)req + off);

	/* the payload is sized for the few short attributes of this file */
	if (off + RTA_SPACE(len) > sizeof(*req))
		return;
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	req->h.nlmsg_len = NLMSG_ALIGN(req->h.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static int nl_send(int fd, struct nl_req *req)
{
	static uint32_t seq;

	req->h.nlmsg_seq = ++seq;
	if (send(fd, req, req->h.nlmsg_len, 0) < 0)
		return -errno;
	return 0;
}

/* One reply datagram into buf; returns its length or -errno. */
static ssize_t nl_recv(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = recv(fd, buf, len, 0);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

/* Send a request with NLM_F_ACK and return the kernel's answer: 0 or -errno. */
static int nl_call(int fd, struct nl_req *req)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	int r;

	req->h.nlmsg_flags |= NLM_F_ACK;
	r = nl_send(fd, req);
	if (r < 0)
		return r;
	for (;;) {
		ssize_t n = nl_recv(fd, buf, sizeof(buf));
		if (n < 0)
			return (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != req->h.nlmsg_seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
		}
	}
}

static int link_set_up(int fd, int index, bool up)
{
	struct ifinfomsg ifi = {
	    .ifi_family = AF_UNSPEC,
	    .ifi_index = index,
	    .ifi_change = IFF_UP,
	    .ifi_flags = up ? IFF_UP : 0,
	};
	struct nl_req req;

	nl_init(&req, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	return nl_call(fd, &req);
}

/* The kept address of one RTM_NEWADDR, or false: runc moves only permanent addresses of global
 * scope (the others are dynamic or meaningful on the host only). */
static bool addr_keep(struct nlmsghdr *h, int index, struct netdev_addr *out)
{
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = (int)IFA_PAYLOAD(h);
	uint32_t flags = ifa->ifa_flags;
	const void *local = NULL, *address = NULL;
	size_t alen = ifa->ifa_family == AF_INET6 ? 16 : 4;

	if (h->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != index ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return false;
	for (struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFA_FLAGS && RTA_PAYLOAD(rta) >= 4)
			memcpy(&flags, RTA_DATA(rta), 4);
		else if (rta->rta_type == IFA_LOCAL && RTA_PAYLOAD(rta) >= alen)
			local = RTA_DATA(rta);
		else if (rta->rta_type == IFA_ADDRESS && RTA_PAYLOAD(rta) >= alen)
			address = RTA_DATA(rta);
	}
	if (!(flags & IFA_F_PERMANENT) || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
		return false;
	if (!local)
		local = address;
	if (!local)
		return false;
	out->family = ifa->ifa_family;
	out->prefixlen = ifa->ifa_prefixlen;
	memcpy(out->addr, local, alen);
	return true;
}

/* Send req, then hand each reply message of it to `each` until NLMSG_DONE (0), an error
 * (-errno), or `each` returning non-zero (that value). */
static int nl_transact(int fd, struct nl_req *req, int (*each)(struct nlmsghdr *h, void *arg),
		       void *arg)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	int r = nl_send(fd, req);

	if (r < 0)
		return r;
	for (;;) {
		ssize_t len = nl_recv(fd, buf, sizeof(buf));
		if (len < 0)
			return (int)len;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != req->h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			r = each(h, arg);
			if (r != 0)
				return r;
		}
	}
}

struct addr_list_ctx {
	int index;
	struct netdev_addr *addrs;
	size_t *n;
};

static int addr_list_each(struct nlmsghdr *h, void *arg)
{
	struct addr_list_ctx *c = arg;

	if (*c->n < NETDEV_MAX_ADDRS && addr_keep(h, c->index, &c->addrs[*c->n]))
		(*c->n)++;
	return 0;
}

static int addr_list(int fd, int index, struct netdev_addr *addrs, size_t *n)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_UNSPEC};
	struct addr_list_ctx c = {index, addrs, n};
	struct nl_req req;

	*n = 0;
	nl_init(&req, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa));
	return nl_transact(fd, &req, addr_list_each, &c);
}

static int addr_add(int fd, int index, const struct netdev_addr *a)
{
	struct ifaddrmsg ifa = {
	    .ifa_family = a->family,
	    .ifa_prefixlen = a->prefixlen,
	    .ifa_index = (uint32_t)index,
	};
	size_t alen = a->family == AF_INET6 ? 16 : 4;
	struct nl_req req;

	nl_init(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
	nl_attr(&req, IFA_LOCAL, a->addr, alen);
	nl_attr(&req, IFA_ADDRESS, a->addr, alen);
	if (a->family == AF_INET && a->prefixlen < 31) {
		/* as the netlink library runc uses: the broadcast address of the prefix */
		uint32_t ip, mask = a->prefixlen ? htonl(~0u << (32 - a->prefixlen)) : 0;
		memcpy(&ip, a->addr, 4);
		ip |= ~mask;
		nl_attr(&req, IFA_BROADCAST, &ip, 4);
	}
	return nl_call(fd, &req);
}

static int link_index_each(struct nlmsghdr *h, void *arg)
{
	(void)arg;
	return h->nlmsg_type == RTM_NEWLINK ? ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index : 0;
}

/* The index of `name` in the socket's namespace (RTM_GETLINK by name). */
static int link_index(int fd, const char *name)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct nl_req req;

	nl_init(&req, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	return nl_transact(fd, &req, link_index_each, NULL);
}

/* A netlink socket in the namespace `ns_fd`: a socket keeps the namespace it was made in. */
static int nl_open_in(int ns_fd, struct herr *err)
{
	_cleanup_close_ int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int fd;

	if (own < 0)
		return herr_sys(err, "open /proc/self/ns/net");
	if (setns(ns_fd, CLONE_NEWNET) < 0)
		return herr_sys(err, "join the container's network namespace");
	fd = nl_open();
	if (setns(own, CLONE_NEWNET) < 0) {
		if (fd >= 0)
			close(fd);
		return herr_sys(err, "return to the host's network namespace");
	}
	return fd < 0 ? herr_errno(err, fd, "netlink socket") : fd;
}

/* runc's devChangeNetNamespace: down, note the addresses, rename and move in one RTM_NEWLINK
 * (no clash with a name on either side in between), then addresses and up inside. */
static int netdev_move(int host_nl, int ns_fd, const struct spec_net_device *nd, struct herr *err)
{
	const char *name = nd->name ? nd->name : nd->host_name;
	struct netdev_addr addrs[NETDEV_MAX_ADDRS];
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	_cleanup_close_ int ns_nl = -1;
	struct nl_req req;
	uint32_t fd32 = (uint32_t)ns_fd;
	size_t n;
	int index, r;

	index = (int)if_nametoindex(nd->host_name);
	if (index == 0)
		return herr_sys(err, "link not found on the host");
	r = link_set_up(host_nl, index, false);
	if (r < 0)
		return herr_errno(err, r, "set the link down");
	r = addr_list(host_nl, index, addrs, &n);
	if (r < 0)
		return herr_errno(err, r, "list its addresses");
	ifi.ifi_index = index;
	nl_init(&req, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	nl_attr(&req, IFLA_NET_NS_FD, &fd32, sizeof(fd32));
	r = nl_call(host_nl, &req);
	if (r < 0)
		return herr_errno(err, r, "move to the container's network namespace as %s", name);
	ns_nl = nl_open_in(ns_fd, err);
	if (ns_nl < 0)
		return ns_nl;
	index = link_index(ns_nl, name);
	if (index <= 0)
		return herr_errno(err, index < 0 ? index : -ENODEV,
				  "link %s not found in the container", name);
	for (size_t i = 0; i < n; i++) {
		char text[INET6_ADDRSTRLEN] = "?";
		r = addr_add(ns_nl, index, &addrs[i]);
		if (r < 0) {
			inet_ntop(addrs[i].family, addrs[i].addr, text, sizeof(text));
			return herr_errno(err, r, "add address %s/%u in the container", text,
					  addrs[i].prefixlen);
		}
	}
	r = link_set_up(ns_nl, index, true);
	return r < 0 ? herr_errno(err, r, "set %s up in the container", name) : 0;
}

int netdev_move_all(const struct spec_linux *l, pid_t pid, struct herr *err)
{
	_cleanup_close_ int ns_fd = -1, host_nl = -1;
	char path[64];

	if (!l || !l->n_net_devices)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	ns_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ns_fd < 0)
		return herr_sys(err, "linux.netDevices: open the container's network namespace");
	host_nl = nl_open();
	if (host_nl < 0)
		return herr_errno(err, host_nl, "linux.netDevices: netlink socket");
	for (size_t i = 0; i < l->n_net_devices; i++) {
		const struct spec_net_device *nd = &l->net_devices[i];
		int r = netdev_move(host_nl, ns_fd, nd, err);
		if (r < 0)
			return herr_wrap(err, "linux.netDevices[\"%s\"]", nd->host_name);
	}
	return 0;
}
