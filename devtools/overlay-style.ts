/** The overlay's styles, inside its shadow root: the app's CSS cannot reach them, nor they the app. */
export const OVERLAY_CSS = `
:host { all: initial; }
.panel { position: fixed; right: 12px; bottom: 12px; width: min(720px, 96vw); height: min(420px, 70vh); display: flex;
  flex-direction: column; background: #11151c; color: #d7dce5; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace;
  border: 1px solid #2b3340; border-radius: 8px; box-shadow: 0 8px 30px rgba(0,0,0,.35); z-index: 2147483647; resize: both; overflow: hidden; }
header { cursor: move; user-select: none; display: flex; gap: 8px; align-items: center; padding: 6px 8px; border-bottom: 1px solid #2b3340; }
header strong { color: #fff; }
.counters { display: flex; flex-wrap: wrap; gap: 10px; padding: 4px 8px; color: #9aa4b5; border-bottom: 1px solid #2b3340; }
.counters b { color: #fff; }
nav { display: flex; gap: 2px; padding: 4px 8px 0; }
nav button, header button, .chaos button, .bar button, td button { background: #1d2430; color: #d7dce5; border: 1px solid #2b3340; border-radius: 4px; padding: 2px 8px; font: inherit; cursor: pointer; }
nav button[aria-selected="true"] { background: #2d6cdf; color: #fff; }
.body { flex: 1; overflow: auto; padding: 6px 8px; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: 2px 6px; border-bottom: 1px solid #1d2430; vertical-align: top; }
th { color: #9aa4b5; font-weight: normal; }
.lane { color: #8fb3ff; white-space: nowrap; }
.in { color: #7ee2a8; } .out { color: #f5c26b; } .bad { color: #ff8b8b; }
input, select { background: #1d2430; color: #d7dce5; border: 1px solid #2b3340; border-radius: 4px; font: inherit; padding: 2px 6px; }
.chaos { display: flex; flex-direction: column; gap: 8px; }
.chaos div { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
header label { display: flex; gap: 4px; align-items: center; cursor: pointer; }
.grow { flex: 1; }
.muted { color: #7d8797; }
.good { color: #7ee2a8; } .info { color: #d7dce5; }
h4 { margin: 8px 0 4px; font-weight: normal; color: #fff; }
.bar { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
.swimlanes { margin-bottom: 8px; }
.swimlane { display: flex; align-items: center; gap: 8px; height: 16px; }
.swimlane .lane { width: 140px; overflow: hidden; text-overflow: ellipsis; flex: none; }
.track { position: relative; flex: 1; height: 10px; border-bottom: 1px solid #2b3340; }
.mark { position: absolute; top: 1px; width: 8px; height: 8px; margin-left: -4px; border-radius: 50%; background: #8fb3ff; }
.mark.bad { background: #ff8b8b; } .mark.good { background: #7ee2a8; }
.span { text-align: right; font-size: 11px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-all; }
`;
