import { useEffect, useState } from "react";

/** How loud the microphone in `stream` is, 0 to 100, while `on` (WebAudio; 0 where there is none). */
export function useMicLevel(stream: MediaStream | null, on: boolean): number {
  const [level, setLevel] = useState(0);

  useEffect(() => {
    if (!on || !stream?.getAudioTracks().length || typeof AudioContext === "undefined") return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    let frame = 0;
    const measure = () => {
      analyser.getByteTimeDomainData(samples);
      const power = samples.reduce((sum, sample) => sum + ((sample - 128) / 128) ** 2, 0) / samples.length;
      // The square root of the RMS spreads quiet speech (RMS ~0.01-0.1) over most of the bar.
      setLevel(Math.min(100, Math.round(Math.sqrt(Math.sqrt(power)) * 140)));
      frame = requestAnimationFrame(measure);
    };
    frame = requestAnimationFrame(measure);
    // A context made before any click or key press starts suspended; the first one wakes it.
    const resume = () => void context.resume();
    resume();
    document.addEventListener("pointerdown", resume, { once: true });
    document.addEventListener("keydown", resume, { once: true });
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener("pointerdown", resume);
      document.removeEventListener("keydown", resume);
      void context.close();
    };
  }, [stream, on]);

  return on ? level : 0;
}
