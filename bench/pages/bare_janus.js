// The bare page of bench/join_sfu.py: janus-gateway straight against Janus, no app around it.
// It does what a joining participant must do at the least: open a Janus session, publish its
// camera and microphone in the room, and subscribe to the publishers already there.
// Query: ?server=<ws url>&token=<Janus token>&room=<id>&pin=<pin>&name=<display>&role=anchor|joiner
// The anchor publishes at once; a joiner waits for a click on "Join now" (the timed step).
import Janus from "janus-gateway";
import adapter from "webrtc-adapter";

const params = new URLSearchParams(location.search);
const status = document.getElementById("status");
const say = (text) => (status.textContent = text);

const init = () =>
  new Promise((resolve) =>
    Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: resolve }),
  );

function connect() {
  return new Promise((resolve, reject) => {
    const janus = new Janus({
      server: params.get("server"),
      token: params.get("token"),
      success: () => resolve(janus),
      error: (cause) => reject(new Error(`janus: ${cause}`)),
    });
  });
}

function attach(janus, callbacks) {
  return new Promise((resolve, reject) => {
    janus.attach({
      plugin: "janus.plugin.videoroom",
      success: resolve,
      error: (cause) => reject(new Error(`attach: ${cause}`)),
      ...callbacks,
    });
  });
}

function subscribe(janus, feeds) {
  const streams = feeds.map((feed) => ({ feed: feed.id }));
  let handle;
  return attach(janus, {
    onmessage: (msg, jsep) => {
      if (!jsep) return;
      handle.createAnswer({
        jsep,
        tracks: [], // receive only
        success: (answer) => handle.send({ message: { request: "start", room: room() }, jsep: answer }),
        error: (cause) => say(`answer failed: ${cause}`),
      });
    },
    onremotetrack: (track, mid, on) => {
      if (!on || track.kind !== "video") return;
      const video = document.createElement("video");
      video.autoplay = true;
      video.muted = true;
      video.playsInline = true;
      video.srcObject = new MediaStream([track]);
      document.body.appendChild(video);
    },
  }).then((h) => {
    handle = h;
    handle.send({
      message: { request: "join", ptype: "subscriber", room: room(), pin: params.get("pin"), streams },
    });
  });
}

const room = () => params.get("room");

async function join(local) {
  const janus = await connect();
  let publisher;
  let subscribed = false;
  publisher = await attach(janus, {
    onmessage: (msg, jsep) => {
      if (jsep) publisher.handleRemoteJsep({ jsep });
      const feeds = msg.publishers || [];
      if (msg.videoroom === "joined") {
        publisher.createOffer({
          tracks: local.getTracks().map((track) => ({ type: track.kind, capture: track, recv: false })),
          success: (offer) =>
            publisher.send({ message: { request: "publish", audio: true, video: true }, jsep: offer }),
          error: (cause) => say(`offer failed: ${cause}`),
        });
      }
      if (!subscribed && feeds.length > 0) {
        subscribed = true;
        subscribe(janus, feeds).catch((error) => say(String(error)));
      }
    },
  });
  publisher.send({
    message: {
      request: "join",
      ptype: "publisher",
      room: room(),
      pin: params.get("pin"),
      display: params.get("name"),
    },
  });
  say("joined");
}

async function main() {
  // Like the app's pre-join screen: the camera is open before the click.
  const [, local] = await Promise.all([init(), navigator.mediaDevices.getUserMedia({ audio: true, video: true })]);
  if (params.get("role") === "anchor") {
    await join(local);
    return;
  }
  const button = document.getElementById("join");
  button.disabled = false;
  button.addEventListener("click", () => join(local).catch((error) => say(String(error))), { once: true });
}

main().catch((error) => say(String(error)));
