/* fuzz_net: what the network code reads from outside. Input: a DHCP
 * answer as it comes off the wire, given to dhcp_parse with its own xid;
 * and the same bytes as a string for parse_publish, parse_ipcfg and
 * parse_dns, whose accepted values must print back to what parses to the
 * same value (as a saved config does). */
#include "fuzz.h"

static void fuzz_dhcp(const uint8_t *data, size_t size)
{
	static struct dhcp m;
	struct lease l;
	int type;

	memset(&m, 0, sizeof(m));
	memcpy(&m, data, size < sizeof(m) ? size : sizeof(m));
	type = dhcp_parse(&m, size, m.xid, &l);
	FUZZ_ASSERT(type >= -1 && type <= 255);
	if (type >= 0) {
		FUZZ_ASSERT(size >= offsetof(struct dhcp, opt) && size <= sizeof(m));
		FUZZ_ASSERT(l.prefix >= 1 && l.prefix <= 32);
		FUZZ_ASSERT(l.secs > 0 && l.secs <= 0x7fffffffL / 1000);  /* the renewer's clock cannot overflow */
	}
}

static void fuzz_strings(const char *s)
{
	struct publish p, p2;
	uint32_t a, gw, a2, gw2, dns[2], dns2[2];
	int prefix, prefix2;
	char back[128];

	if (parse_publish(s, &p) == 0) {
		FUZZ_ASSERT(p.hport >= 1 && p.port >= 1);
		snprintf(back, sizeof(back), "%s:%u:%u/%s", inet_ntoa((struct in_addr){ p.ip }), p.hport, p.port,
		         p.udp ? "udp" : "tcp");
		FUZZ_ASSERT(parse_publish(back, &p2) == 0 && !memcmp(&p, &p2, sizeof(p)));
	}
	if (parse_ipcfg(s, &a, &prefix, &gw) == 0 && a) {
		FUZZ_ASSERT(prefix >= 1 && prefix <= 32);
		snprintf(back, sizeof(back), "%s/%d", inet_ntoa((struct in_addr){ a }), prefix);
		if (gw)
			snprintf(back + strlen(back), sizeof(back) - strlen(back), ",%s", inet_ntoa((struct in_addr){ gw }));
		FUZZ_ASSERT(parse_ipcfg(back, &a2, &prefix2, &gw2) == 0 && a2 == a && prefix2 == prefix && gw2 == gw);
	}
	if (parse_dns(s, dns) == 0) {
		snprintf(back, sizeof(back), "%s", inet_ntoa((struct in_addr){ dns[0] }));
		if (dns[1])
			snprintf(back + strlen(back), sizeof(back) - strlen(back), ",%s", inet_ntoa((struct in_addr){ dns[1] }));
		FUZZ_ASSERT(parse_dns(back, dns2) == 0 && dns2[0] == dns[0] && (!dns[1] || dns2[1] == dns[1]));
	}
}

static void fuzz_target(const uint8_t *data, size_t size)
{
	fuzz_dhcp(data, size);
	fuzz_strings(fuzz_string(data, size));
}
