// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A network dump needs the NIC that carries the route to the dump server.
 * The server's addresses come from the name itself when numeric, from the
 * sysroot's /etc/hosts, and from getaddrinfo() only when the sysroot is the
 * live system (a captured tree has no resolver to ask).  The route is the
 * longest prefix of the sysroot's /proc/net/route (IPv4) or
 * /proc/net/ipv6_route (IPv6) that is up and not a reject route, the
 * lowest metric among equals: the default route is the /0 prefix.  These
 * are the kernel's main-table routes; policy routing is not followed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "scan.h"

#define ROUTES_MAX	(16u << 20)
#define HOSTS_MAX	(4u << 20)
#define RTF_UP_		0x0001u		/* linux/route.h RTF_UP */
#define RTF_REJECT_	0x0200u		/* RTF_REJECT */
#define RTF_LOCAL_	0x80000000u	/* ipv6_route.h RTF_LOCAL */

struct addr {
	int family;
	unsigned char b[16];
};


static int numeric(const char *h, struct addr *a)
{
	if (inet_pton(AF_INET, h, a->b) == 1) {
		a->family = AF_INET;
		return 1;
	}
	if (inet_pton(AF_INET6, h, a->b) == 1) {
		a->family = AF_INET6;
		return 1;
	}
	return 0;
}

static void add_addr(struct addr *v, size_t *n, const struct addr *a)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (v[i].family == a->family && !memcmp(v[i].b, a->b, 16))
			return;
	if (*n < QDH_DUMP_MAX_ADDRS)
		v[(*n)++] = *a;
}

/* Every address /etc/hosts gives the name (hosts(5): address, names). */
static int from_hosts(const struct qdh_sysroot *sr, const char *host,
		      struct addr *v, size_t *n)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int r = qdh_dump_read_text(sr, QDH_PATH_HOSTS, HOSTS_MAX, &buf, &len);

	if (r < 0)
		return r;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#'), *tok, *s2 = NULL;
		struct addr a;

		if (hash)
			*hash = '\0';
		tok = strtok_r(line, " \t\r", &s2);
		if (!tok || !numeric(tok, &a))
			continue;
		while ((tok = strtok_r(NULL, " \t\r", &s2)))
			if (!strcasecmp(tok, host))
				add_addr(v, n, &a);
	}
	free(buf);
	return 0;
}

static void from_dns(const char *host, struct addr *v, size_t *n)
{
	struct addrinfo hints, *res = NULL, *ai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return;
	for (ai = res; ai; ai = ai->ai_next) {
		struct addr a;

		memset(&a, 0, sizeof(a));
		if (ai->ai_family == AF_INET) {
			a.family = AF_INET;
			memcpy(a.b, &((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr, 4);
		} else if (ai->ai_family == AF_INET6) {
			a.family = AF_INET6;
			memcpy(a.b, &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr, 16);
		} else {
			continue;
		}
		add_addr(v, n, &a);
	}
	freeaddrinfo(res);
}

static int read_text(const struct qdh_sysroot *sr, const char *path, char **out)
{
	size_t len;

	return qdh_dump_read_text(sr, path, ROUTES_MAX, out, &len);
}

/*
 * /proc/net/route: Iface Destination Gateway Flags RefCnt Use Metric Mask
 * ...; addresses are the network-order words printed as host numbers
 * ("%08X"), so they compare as they are against an in_addr read the same
 * way on the same machine.
 */
static int route4(const struct qdh_sysroot *sr, const struct addr *a,
		  char *ifname, size_t cap, char *why, size_t whycap)
{
	char *buf, *line, *save = NULL;
	uint32_t want;
	int r, best_len = -1;
	long best_metric = 0;

	r = read_text(sr, QDH_PATH_NET_ROUTE, &buf);
	if (r < 0)
		return qdh_dump_fail(why, whycap, r, "%s: %s", QDH_PATH_NET_ROUTE, strerror(-r));
	memcpy(&want, a->b, 4);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char dev[64];
		unsigned dst, flags, mask;
		int metric, plen;

		if (sscanf(line, "%63s %x %*x %x %*d %*u %d %x", dev, &dst, &flags,
			   &metric, &mask) != 5)
			continue;	/* the header, or garbage */
		if (!(flags & RTF_UP_) || (flags & RTF_REJECT_) ||
		    (want & mask) != (dst & mask))
			continue;
		plen = __builtin_popcount(mask);
		if (plen > best_len || (plen == best_len && metric < best_metric)) {
			best_len = plen;
			best_metric = metric;
			snprintf(ifname, cap, "%s", dev);
		}
	}
	free(buf);
	if (best_len < 0)
		return qdh_dump_fail(why, whycap, -ENETUNREACH, "no route in %s", QDH_PATH_NET_ROUTE);
	return 0;
}

static int hex16(const char *s, unsigned char *b)
{
	int i;

	for (i = 0; i < 16; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (unsigned char)v;
	}
	return 0;
}

static int prefix_match(const unsigned char *a, const unsigned char *p, unsigned plen)
{
	unsigned i;

	for (i = 0; i < plen / 8; i++)
		if (a[i] != p[i])
			return 0;
	if (plen % 8) {
		unsigned char m = (unsigned char)(0xff << (8 - plen % 8));

		if ((a[i] & m) != (p[i] & m))
			return 0;
	}
	return 1;
}

/* /proc/net/ipv6_route: dest plen src splen nexthop metric ref use flags dev. */
static int route6(const struct qdh_sysroot *sr, const struct addr *a,
		  char *ifname, size_t cap, char *why, size_t whycap)
{
	char *buf, *line, *save = NULL;
	int r, best_len = -1;
	unsigned best_metric = 0;

	r = read_text(sr, QDH_PATH_NET_IPV6_ROUTE, &buf);
	if (r < 0)
		return qdh_dump_fail(why, whycap, r, "%s: %s", QDH_PATH_NET_IPV6_ROUTE, strerror(-r));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char dst[33], dev[64];
		unsigned char p[16];
		unsigned plen, metric, flags;

		if (sscanf(line, "%32s %x %*s %*x %*s %x %*x %*x %x %63s", dst, &plen,
			   &metric, &flags, dev) != 5 || strlen(dst) != 32 ||
		    plen > 128 || hex16(dst, p) < 0)
			continue;
		if (!(flags & RTF_UP_) || (flags & (RTF_REJECT_ | RTF_LOCAL_)) ||
		    !strcmp(dev, "lo") || !prefix_match(a->b, p, plen))
			continue;
		if ((int)plen > best_len || ((int)plen == best_len && metric < best_metric)) {
			best_len = (int)plen;
			best_metric = metric;
			snprintf(ifname, cap, "%s", dev);
		}
	}
	free(buf);
	if (best_len < 0)
		return qdh_dump_fail(why, whycap, -ENETUNREACH, "no route in %s",
			    QDH_PATH_NET_IPV6_ROUTE);
	return 0;
}

static int valid_host(const char *h)
{
	size_t n = strlen(h);

	return n && n < 254 && strspn(h, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:%") == n;
}

int qdh_dump_host_ifaces(const struct qdh_sysroot *sr, const char *host,
			 char ifaces[QDH_DUMP_MAX_ADDRS][64], size_t *nifaces,
			 char *why, size_t whycap)
{
	struct addr v[QDH_DUMP_MAX_ADDRS];
	size_t n = 0, i, j;
	int r, live = qdh_sysroot_is_live(sr);
	char errs[256] = "";

	*nifaces = 0;
	why[0] = '\0';
	if (!valid_host(host))
		return qdh_dump_fail(why, whycap, -EINVAL, "'%s' is not a host name or address", host);
	memset(v, 0, sizeof(v));
	if (numeric(host, &v[0])) {
		n = 1;
	} else {
		r = from_hosts(sr, host, v, &n);
		if (r == -ENOMEM)
			return r;
		if (!n && live)
			from_dns(host, v, &n);
		if (!n)
			return qdh_dump_fail(why, whycap, -ENOENT, "%s: not numeric, not in %s%s",
				    host, QDH_PATH_HOSTS, live ? ", and getaddrinfo() "
				    "does not know it" : " (getaddrinfo() is asked only on "
				    "the live system)");
	}
	for (i = 0; i < n; i++) {
		char dev[64], w[160], shown[INET6_ADDRSTRLEN];

		static const unsigned char lo6[16] = { [15] = 1 };

		inet_ntop(v[i].family, v[i].b, shown, sizeof(shown));
		/* The local table routes these to lo, before any main route. */
		if ((v[i].family == AF_INET && v[i].b[0] == 127) ||
		    (v[i].family == AF_INET6 && !memcmp(v[i].b, lo6, 16))) {
			if (!errs[0])
				snprintf(errs, sizeof(errs), "%s: a loopback address, "
					 "no NIC", shown);
			continue;
		}
		r = v[i].family == AF_INET ?
			route4(sr, &v[i], dev, sizeof(dev), w, sizeof(w)) :
			route6(sr, &v[i], dev, sizeof(dev), w, sizeof(w));
		if (r == 0 && !strcmp(dev, "lo")) {
			r = -ENETUNREACH;
			snprintf(w, sizeof(w), "the route goes through lo");
		}
		if (r < 0) {
			if (r == -ENOMEM)
				return r;
			if (!errs[0])
				snprintf(errs, sizeof(errs), "%s: %s", shown, w);
			continue;
		}
		for (j = 0; j < *nifaces; j++)
			if (!strcmp(ifaces[j], dev))
				break;
		if (j == *nifaces)
			snprintf(ifaces[(*nifaces)++], 64, "%s", dev);
	}
	if (!*nifaces)
		return qdh_dump_fail(why, whycap, -ENETUNREACH, "%s: %s", host, errs);
	if (errs[0])
		/* Some address had no route: say so, but the NICs found stand. */
		snprintf(why, whycap, "%s: %s", host, errs);
	return 0;
}
