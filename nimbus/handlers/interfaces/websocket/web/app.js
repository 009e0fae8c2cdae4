// Nimbus reference browser client: WebSocket protocol v1, microphone in, spoken answer out.
"use strict";

const $ = (id) => document.getElementById(id);
const SITE_KEY = "nimbus.site";
const TOKEN_KEY = "nimbus.token";
const site = sessionStorage.getItem(SITE_KEY) ||
  ("browser-" + Math.random().toString(36).slice(2, 8));
sessionStorage.setItem(SITE_KEY, site);

const EVENTS = ["transcript", "response.started", "response.delta", "response.done",
  "state.changed", "audio.out", "error", "command", "phrase.heard", "speech.started",
  "speech.ended", "playback.started", "playback.finished", "audio.chunk", "stop"];

let ws = null;
let welcomed = false;
let retryMs = 500;
const counters = { audioSent: 0, audioHeard: 0, audioOut: 0 };

// --- wire form: 4-byte big-endian header length + UTF-8 JSON header + PCM -----------------------
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function encodeFrame(header, pcm) {
  const head = encoder.encode(JSON.stringify({ ...header, bytes: pcm.byteLength }));
  const out = new Uint8Array(4 + head.length + pcm.byteLength);
  new DataView(out.buffer).setUint32(0, head.length, false);
  out.set(head, 4);
  out.set(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength), 4 + head.length);
  return out.buffer;
}

function decodeFrame(buffer) {
  const length = new DataView(buffer).getUint32(0, false);
  const header = JSON.parse(decoder.decode(new Uint8Array(buffer, 4, length)));
  return { header, pcm: buffer.slice(4 + length) };
}

// --- UI -------------------------------------------------------------------------------------
function log(text) {
  const line = document.createElement("div");
  line.textContent = new Date().toLocaleTimeString() + " " + text;
  $("log").prepend(line);
  while ($("log").childElementCount > 200) $("log").lastChild.remove();
}

function showCounters() {
  $("counters").textContent = `(mic chunks sent ${counters.audioSent}, received by daemon ` +
    `${counters.audioHeard}, speech chunks played ${counters.audioOut})`;
}

function setConnection(text) { $("connection").textContent = text; }

function setState(state) {
  $("state").textContent = state;
  $("state").dataset.state = state;
}

// --- playback of audio.out ------------------------------------------------------------------
let playCtx = null;
let playhead = 0;
const playing = new Set();

function playPcm(header, pcm) {
  if (header.width !== 2) { log(`cannot play ${header.width}-byte samples`); return; }
  playCtx = playCtx || new AudioContext();
  const samples = new Int16Array(pcm);
  const frames = samples.length / header.channels;
  if (!frames) return;
  const buffer = playCtx.createBuffer(header.channels, frames, header.rate);
  for (let c = 0; c < header.channels; c++) {
    const channel = buffer.getChannelData(c);
    for (let i = 0; i < frames; i++) channel[i] = samples[i * header.channels + c] / 32768;
  }
  const source = playCtx.createBufferSource();
  source.buffer = buffer;
  source.connect(playCtx.destination);
  playhead = Math.max(playhead, playCtx.currentTime + 0.05);
  source.start(playhead);
  playhead += buffer.duration;
  playing.add(source);
  source.onended = () => playing.delete(source);
  counters.audioOut++;
  showCounters();
}

function stopPlayback() {
  for (const source of playing) { try { source.stop(); } catch (e) { /* already ended */ } }
  playing.clear();
  playhead = 0;
}

// --- microphone -> audio.chunk frames (16 kHz mono int16, 512 samples = 32 ms) ---------------
let micCtx = null;
let micStream = null;
let sequence = 0;
let pending = new Float32Array(0);
const CHUNK = 512;

function downsample(input, fromRate) {
  if (fromRate === 16000) return input;
  const ratio = fromRate / 16000;
  const out = new Float32Array(Math.floor(input.length / ratio));
  for (let i = 0; i < out.length; i++) out[i] = input[Math.floor(i * ratio)];
  return out;
}

function sendMic(block, rate) {
  const samples = downsample(block, rate);
  const joined = new Float32Array(pending.length + samples.length);
  joined.set(pending);
  joined.set(samples, pending.length);
  let offset = 0;
  while (joined.length - offset >= CHUNK) {
    const pcm = new Int16Array(CHUNK);
    for (let i = 0; i < CHUNK; i++) {
      const s = Math.max(-1, Math.min(1, joined[offset + i]));
      pcm[i] = s < 0 ? s * 32768 : s * 32767;
    }
    offset += CHUNK;
    if (ws && welcomed && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 1 << 20) {
      ws.send(encodeFrame({ type: "audio.chunk", rate: 16000, width: 2, channels: 1,
        sequence: sequence++ }, pcm));
      counters.audioSent++;
    }
  }
  pending = joined.slice(offset);
  if (counters.audioSent % 25 === 0) showCounters();
}

async function startMic() {
  if (micCtx) { stopMic(); return; }
  // The browser cancels the echo of what it plays itself (the answer's audio.out) from the
  // microphone; Nimbus cannot, the speaker being the browser's. Ask, then show what was granted.
  micStream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
  });
  const granted = micStream.getAudioTracks()[0].getSettings().echoCancellation === true;
  $("echo").hidden = false;
  $("echo").textContent = granted ? "echo cancellation on" : "echo cancellation off";
  log(`browser echo cancellation: ${granted ? "on" : "not granted (use headphones)"}`);
  try {
    micCtx = new AudioContext({ sampleRate: 16000 });
  } catch (e) {
    micCtx = new AudioContext();  // the browser resamples; we downsample ourselves
  }
  await micCtx.audioWorklet.addModule("/pcm-worklet.js");
  const source = micCtx.createMediaStreamSource(micStream);
  const node = new AudioWorkletNode(micCtx, "pcm-capture");
  node.port.onmessage = (message) => sendMic(message.data, micCtx.sampleRate);
  source.connect(node);
  $("mic").textContent = "Stop microphone";
  log(`microphone on (${micCtx.sampleRate} Hz -> 16000 Hz)`);
}

function stopMic() {
  if (micStream) micStream.getTracks().forEach((t) => t.stop());
  if (micCtx) micCtx.close();
  micCtx = null;
  micStream = null;
  $("mic").textContent = "Start microphone";
}

// --- events ---------------------------------------------------------------------------------
let answerFor = null;

function onEvent(event) {
  switch (event.type) {
    case "welcome":
      welcomed = true;
      retryMs = 500;
      setConnection(`connected as ${event.site}`);
      ws.send(JSON.stringify({ type: "subscribe", events: EVENTS, sites: [site] }));
      return;
    case "subscribed":
      log("subscribed");
      return;
    case "state.changed":
      setState(event.state);
      return;
    case "transcript":
      if (event.final) {
        $("transcript").textContent = event.text;
        $("partial").textContent = "";
      } else {
        $("partial").textContent = event.text;
      }
      return;
    case "response.started":
      answerFor = event.id;
      $("answer").textContent = "";
      $("sources").replaceChildren();
      return;
    case "response.delta":
      if (event.cause === answerFor || answerFor === null) $("answer").textContent += event.text;
      return;
    case "response.done":
      if (event.text) $("answer").textContent = event.text;
      if (event.cancelled) $("answer").textContent += " [stopped]";
      $("sources").replaceChildren(...(event.sources || []).map((s) => {
        const li = document.createElement("li");
        li.textContent = s.path + (s.page != null ? ` p.${s.page}` : "");
        return li;
      }));
      return;
    case "audio.chunk":
      counters.audioHeard++;
      if (counters.audioHeard % 25 === 1) showCounters();
      return;
    case "stop":
      stopPlayback();
      log("stop: " + (event.reason || ""));
      return;
    case "error":
      log(`error ${event.code} (${event.stage}): ${event.message}`);
      return;
    default:
      log(event.type + (event.text ? `: ${event.text}` : ""));
  }
}

function connect() {
  const token = localStorage.getItem(TOKEN_KEY) ||
    new URLSearchParams(location.hash.slice(1)).get("token") || "";
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  ws = new WebSocket(`${scheme}://${location.host}/ws`);
  ws.binaryType = "arraybuffer";
  welcomed = false;
  ws.onopen = () => {
    setConnection("handshake…");
    ws.send(JSON.stringify({ type: "hello", protocol: 1, token, site }));
  };
  ws.onmessage = (message) => {
    if (typeof message.data === "string") {
      onEvent(JSON.parse(message.data));
    } else {
      const { header, pcm } = decodeFrame(message.data);
      if (header.type === "audio.out") playPcm(header, pcm);
      else onEvent(header);
    }
  };
  ws.onclose = (close) => {
    welcomed = false;
    if (close.code === 1008) {
      setConnection("token needed");
      $("token-form").hidden = false;
      return;
    }
    setConnection(`disconnected (${close.code}); retrying`);
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10000);
  };
}

$("mic").onclick = () => startMic().catch((e) => log("microphone: " + e));
$("stop").onclick = () => {
  stopPlayback();
  if (ws && welcomed) ws.send(JSON.stringify({ type: "stop", reason: "browser stop button" }));
};
$("ask-form").onsubmit = (e) => {
  e.preventDefault();
  const text = $("ask").value.trim();
  if (text && ws && welcomed) ws.send(JSON.stringify({ type: "cmd.ask", text }));
  $("ask").value = "";
};
$("token-form").onsubmit = (e) => {
  e.preventDefault();
  localStorage.setItem(TOKEN_KEY, $("token").value);
  $("token-form").hidden = true;
  connect();
};
connect();
