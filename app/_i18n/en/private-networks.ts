// Private networks (issue 14): the team's networks page and the order form's choice of them.
export const privateNetworks = {
  "pnet.title": "Private networks",
  "pnet.intro":
    "A private network joins the team's VMs in one region on a second network card, across hosts, with addresses from its range. Other teams' networks are kept apart even when their ranges are the same. It has no gateway: its VMs reach each other on it, nothing else.",
  "pnet.list": "Private networks of {team}",
  "pnet.none": "No private networks yet.",
  "pnet.region": "Region",
  "pnet.range": "IPv4 range",
  "pnet.ipv6": "IPv6 (ULA)",
  "pnet.vni": "VNI",
  "pnet.members": "VMs",
  "pnet.noMembers": "none yet",
  "pnet.create": "Create private network",
  "pnet.rangeHint":
    "Leave empty and Skjold takes the first free 10.x.y.0/24; a range is /8 to /29 of private space and must not overlap the team's other networks in the region.",
  "pnet.ipv6None": "no IPv6",
  "pnet.ipv6Auto": "a random ULA /64",
  "pnet.delete": "Delete",
  "pnet.confirmDelete": "Delete private network {name}?",
  "pnet.created": "Private network {name} created: {cidr}, VNI {vni}.",
  "pnet.deleted": "Private network deleted.",
  "pnet.membersOnly": "Owners and members manage private networks.",
  "order.privateNetworks": "Private networks (a second network card on each)",
  "team.privateNetworks": "Private networks",
};
