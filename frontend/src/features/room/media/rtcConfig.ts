import type { IceServer, RoomJoin } from "../types";

export function rtcIceServers(servers: IceServer[]): RTCIceServer[] {
  return servers.map(({ urls, username, credential }) => ({
    urls,
    ...(username ? { username } : {}),
    ...(credential ? { credential } : {}),
  }));
}

/** The ICE servers and transport policy from the join result, for every peer connection (mesh or Janus). */
export function rtcConfigOf(join: Pick<RoomJoin, "ice_servers" | "ice_transport_policy">): RTCConfiguration {
  return {
    iceServers: rtcIceServers(join.ice_servers),
    // "relay" makes the browser use TURN only (deployments that hide participants' addresses).
    ...(join.ice_transport_policy ? { iceTransportPolicy: join.ice_transport_policy } : {}),
  };
}
