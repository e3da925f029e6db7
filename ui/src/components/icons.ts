// Line icons on a 24x24 grid, drawn as stroked paths. Kept as data so one small component
// renders them all and no icon font or remote asset is needed.
const ring = (cx: number, cy: number, r: number): string =>
  `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

export const ICONS = {
  home: ['M3 10.5 12 3l9 7.5', 'M5 9v11h14V9', 'M10 20v-6h4v6'],
  setup: ['M4 7h9', 'M17 7h3', ring(15, 7, 2), 'M4 17h3', 'M11 17h9', ring(9, 17, 2)],
  diff: ['M4 8h13', 'M14 5l3 3-3 3', 'M20 16H7', 'M10 13l-3 3 3 3'],
  saml: [ring(8, 15, 4), 'M11 12l8-8', 'M16 7l3 3', 'M14 9l2 2'],
  history: ['M3.5 12a8.5 8.5 0 1 0 2.5-6', 'M3 4v4h4', 'M12 8v4l3 2'],
  settings: [
    ring(12, 12, 3),
    'M12 3v3',
    'M12 18v3',
    'M3 12h3',
    'M18 12h3',
    'M5.6 5.6l2.1 2.1',
    'M16.3 16.3l2.1 2.1',
    'M5.6 18.4l2.1-2.1',
    'M16.3 7.7l2.1-2.1',
  ],
  cloud: ['M7 18h10a4 4 0 0 0 .5-7.97A6 6 0 0 0 6.1 9.5 4.25 4.25 0 0 0 7 18z'],
  cube: ['M12 3l8 4.5v9L12 21l-8-4.5v-9z', 'M4 7.5l8 4.5 8-4.5', 'M12 12v9'],
  shield: ['M12 3l7 3v6c0 4.5-3 7.5-7 9-4-1.5-7-4.5-7-9V6z'],
  network: [ring(12, 5, 2), ring(5, 19, 2), ring(19, 19, 2), 'M11 6.8 6 17.2', 'M13 6.8l5 10.4', 'M7 19h10'],
  server: ['M4 5h16v6H4z', 'M4 13h16v6H4z', 'M8 8h.01', 'M8 16h.01'],
  pulse: ['M3 12h4l3-7 4 14 3-7h4'],
  alert: [ring(12, 12, 9), 'M12 7.5v5.5', 'M12 16.5h.01'],
  info: [ring(12, 12, 9), 'M12 11v5.5', 'M12 7.5h.01'],
  user: [ring(12, 8, 4), 'M4 20c0-3.5 3.6-6 8-6s8 2.5 8 6'],
  group: [ring(8, 8.5, 3), 'M2.5 19c0-3 2.5-5 5.5-5s5.5 2 5.5 5', ring(16, 8.5, 3), 'M15.5 14c3-.2 6 1.8 6 5'],
  userOff: [ring(12, 8, 4), 'M4 20c0-3.5 3.6-6 8-6s8 2.5 8 6', 'M4 4l16 16'],
  apps: ['M4 4h6v6H4z', 'M14 4h6v6h-6z', 'M4 14h6v6H4z', 'M14 14h6v6h-6z'],
  retry: ['M20 11a8 8 0 1 0-2.3 5.7', 'M20 4v7h-7'],
  plus: ['M12 5v14', 'M5 12h14'],
  minus: ['M5 12h14'],
  pencil: ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4'],
  conflict: ['M12 3 2.5 20h19z', 'M12 9.5v4.5', 'M12 17h.01'],
  ban: [ring(12, 12, 9), 'M5.6 5.6l12.8 12.8'],
  pause: [ring(12, 12, 9), 'M10 8.5v7', 'M14 8.5v7'],
  question: [ring(12, 12, 9), 'M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5v.7', 'M12 17h.01'],
  lock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3'],
  outside: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v6H4V6h6'],
  check: ['M4.5 12.5l5 5L19.5 7'],
  search: [ring(11, 11, 6.5), 'M16 16l4.5 4.5'],
  download: ['M12 4v11', 'M7.5 10.5 12 15l4.5-4.5', 'M5 20h14'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  play: ['M7 4.5v15l12-7.5z'],
} satisfies Record<string, string[]>;

export type IconName = keyof typeof ICONS;
