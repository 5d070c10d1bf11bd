/** Volume names follow the domain name, so a sweep by name finds whatever a step left half-made. */
export const diskVolumeName = (domainName: string) => `${domainName}.qcow2`;
export const seedVolumeName = (domainName: string) => `${domainName}-seed.img`;
