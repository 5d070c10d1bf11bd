// The lines of a VM's timeline (addVmEvent's `key`): their English is lib/'s own, the event's stored
// message, kept in lib/vms/shared/vm-event-text.ts so the two cannot drift apart.
export { vmEventText as vmEvents } from "@/lib/vms/shared/vm-event-text";
