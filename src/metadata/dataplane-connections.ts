import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Connections that reached the metadata service at 100.100.100.200 inside a VPC router namespace
 * (dataplane/metadata-listeners.ts), handed to the metadata listener's HTTP server with the VPC they
 * came from. Their source address is then the caller's identity within that VPC, as on the cloud;
 * connections to the loopback listener carry no VPC and name their instance instead.
 */

const vpcOfSocket = new WeakMap<Socket, string>();

/** Serves a connection accepted in `vpcId`'s router namespace on the metadata app's HTTP server. */
export function acceptDataplaneConnection(server: Server, socket: Socket, vpcId: string): void {
  vpcOfSocket.set(socket, vpcId);
  server.emit('connection', socket);
}

/** The VPC a connection came from, when it came through the data plane. */
export function dataplaneVpcOf(socket: Socket): string | undefined {
  return vpcOfSocket.get(socket);
}
