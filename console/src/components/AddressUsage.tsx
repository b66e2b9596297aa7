/** One vSwitch's addresses as the console view vswitch-usage counts them (src/console/views). */
export interface AddressUsageFigures {
  VSwitchId: string;
  CidrBlock: string;
  Total: number;
  Reserved: number;
  ReservedAddresses: string[];
  Gateway: string;
  Used: number;
  Free: number;
}

const COLOURS = { used: '#0b57d0', reserved: '#8a4b00', free: '#d8dee8' };

/**
 * A bar of a vSwitch's addresses: used, reserved by the cloud, free. The picture has a text
 * equivalent (its accessible name, and a legend with the figures), so nothing is colour-only.
 */
export function AddressUsage({ usage, width = 200 }: { usage: AddressUsageFigures; width?: number }) {
  const { Total, Used, Reserved, Free } = usage;
  const scale = (n: number) => (Total === 0 ? 0 : (n / Total) * width);
  // Tiny shares (4 reserved of 65,536) still get a visible sliver.
  const sliver = (n: number) => (n > 0 ? Math.max(2, scale(n)) : 0);
  const used = sliver(Used);
  const reserved = sliver(Reserved);
  const free = Math.max(0, width - used - reserved);
  const label = `${usage.CidrBlock}: ${Used} used, ${Free} free, ${Reserved} reserved of ${Total} addresses`;
  return (
    <div className="usage">
      <svg role="img" aria-label={label} width={width} height={14} viewBox={`0 0 ${width} 14`}>
        <title>{label}</title>
        <rect x={0} y={0} width={width} height={14} fill={COLOURS.free} stroke="#5c6470" />
        <rect x={0} y={0} width={used} height={14} fill={COLOURS.used} />
        <rect x={used} y={0} width={reserved} height={14} fill={COLOURS.reserved} />
        <rect x={used + reserved} y={0} width={free} height={14} fill="none" />
      </svg>
      <ul className="usage-legend">
        <li style={{ ['--swatch' as string]: COLOURS.used }}>{Used} used</li>
        <li style={{ ['--swatch' as string]: COLOURS.free }}>{Free} free</li>
        <li style={{ ['--swatch' as string]: COLOURS.reserved }}>{Reserved} reserved</li>
      </ul>
      <span className="sub">
        Reserved: {usage.ReservedAddresses.join(', ')} (gateway {usage.Gateway})
      </span>
    </div>
  );
}
