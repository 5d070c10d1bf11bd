-- AlterTable: the networks (CIDR) a tenant opened the cluster's Kubernetes API to, besides its nodes.
ALTER TABLE "Cluster" ADD COLUMN     "apiAllowFrom" TEXT[] DEFAULT ARRAY[]::TEXT[];
