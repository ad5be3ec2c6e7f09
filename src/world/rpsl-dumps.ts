/**
 * Renders one registry's holders into its RPSL split dumps (`<rir>.db.inetnum.gz`, `.inet6num.gz`,
 * `.organisation.gz`, `.aut-num.gz`, latin-1) and collects the records of its delegated file. Every
 * object written is recorded in the truth; malformed objects are injected and recorded too.
 */
import { formatIpv4, formatIpv6, ipv6PrefixEnd } from '../ip/address.js';
import { join } from 'node:path';
import { dateBetween } from './companies.js';
import { DelegatedRecords } from './delegated-file.js';
import { HOLDER_CLASS, CHILD_CLASS, holderAt, planChildren, type ChildPlan, type Holder, type HolderContext } from './holders.js';
import { ceilPowerOfTwo, Ipv4Cursor, Ipv6Cursor, type Rir } from './ip-space.js';
import { whoisSpelling, slug } from './names.js';
import { OutputFile, type WrittenFile } from '../output-file.js';
import { pickParty, type Party } from './parties.js';
import { rngFor, WeightedTable, type Rng } from './random.js';
import { RIR_PROFILES, type RirProfile } from './rir-profiles.js';
import { RIPE_DUMMY_TRAILER_TEXT, RIPE_DUMP_HEADER, objectText, type Attribute, type ContinuationStyle } from './rpsl-text.js';
import type { LinkReason, RangeClass, Truth } from './truth.js';
import { PEOPLE } from './vocabulary.js';

/** Object counts to reach in one registry's dumps. */
export interface DumpTargets {
  inetnum: number;
  inet6num: number;
  organisation: number;
  autNum: number;
}

/** Everything the dump writer needs. */
export interface DumpContext extends HolderContext {
  outDir: string;
  truth: Truth;
  targets: DumpTargets;
  /** Share of objects replaced by a malformed one. */
  malformedRate: number;
  /** Share of leaf objects that contribute a sample address to the truth. */
  sampleRate: number;
}

const CONTINUATION_STYLES = new WeightedTable<ContinuationStyle>([['space', 6], ['tab', 2], ['plus', 1]]);

const CLASSES = ['inetnum', 'inet6num', 'organisation', 'aut-num'] as const;
type ObjectClass = (typeof CLASSES)[number];

/** The file prefix of a registry's dumps. */
export function dumpPrefix(rir: Rir): string {
  return rir === 'ripencc' ? 'ripe' : rir;
}

/** The source id of a registry's RPSL dumps. */
export function rpslSourceId(rir: Rir): string {
  return `${dumpPrefix(rir)}-rpsl`;
}

/** What an inetnum or inet6num says. */
interface RangeObject {
  key: string;
  netname: string;
  descr: readonly string[];
  /** Continuation lines of the first descr. */
  descrContinuation?: readonly string[] | undefined;
  country: string;
  orgId: string | undefined;
  status: string;
  holder: Party;
  legacy?: boolean;
  /** For aggregated IPv6 objects: the size of the assignments inside. */
  assignmentSize?: number | undefined;
}

/** A range a network announces, for the routing files (src/world/routing-files.ts). */
export interface Route {
  family: 4 | 6;
  first: number | bigint;
  last: number | bigint;
  asn: number;
  /** The network's name as routing data writes it: its holder's name with a legal form. */
  name: string;
}

/** Who announces a holder's space: its own network, its upstream provider's, or (leased) another's. */
interface Announcer {
  asn: number;
  name: string;
}

/** Writes the four dumps of one registry; returns the files, the delegated records it allocated and the routes announced. */
export async function writeRpslDumps(ctx: DumpContext): Promise<{ files: WrittenFile[]; delegated: DelegatedRecords; routes: Route[] }> {
  const writer = await DumpWriter.open(ctx);
  for (let h = 0; writer.counts.inetnum < ctx.targets.inetnum; h++) {
    await writer.writeHolder(holderAt(ctx, h));
  }
  return { files: await writer.close(), delegated: writer.delegated, routes: writer.routes };
}

class DumpWriter {
  readonly counts: Record<ObjectClass, number> = { inetnum: 0, inet6num: 0, organisation: 0, 'aut-num': 0 };
  readonly delegated: DelegatedRecords;
  readonly routes: Route[] = [];
  /** Who announces the ranges of the holder being written (undefined: nobody, they are not routed). */
  private announcer: Announcer | undefined;
  /** The last provider written that has a network of its own: the upstream of holders without one. */
  private upstream: Announcer | undefined;
  private readonly profile: RirProfile;
  private readonly v4: Ipv4Cursor;
  private readonly v6: Ipv6Cursor;
  private nextAsn: number;
  private readonly v6PerV4: number;
  private readonly autNumPerHolder: number;
  private readonly suppressed = new Set<string>();

  private constructor(
    private readonly ctx: DumpContext,
    private readonly files: Record<ObjectClass, OutputFile>,
  ) {
    this.profile = RIR_PROFILES[ctx.rir];
    this.v4 = new Ipv4Cursor(ctx.rir);
    this.v6 = new Ipv6Cursor(ctx.rir);
    this.nextAsn = this.profile.firstAsn;
    this.delegated = new DelegatedRecords(ctx.rir);
    this.v6PerV4 = ctx.targets.inet6num / ctx.targets.inetnum;
    this.autNumPerHolder = Math.min(1, ctx.targets.autNum / Math.max(1, ctx.targets.organisation));
  }

  static async open(ctx: DumpContext): Promise<DumpWriter> {
    const prefix = dumpPrefix(ctx.rir);
    const files = {} as Record<ObjectClass, OutputFile>;
    for (const c of CLASSES) {
      files[c] = await OutputFile.open(join(ctx.outDir, rpslSourceId(ctx.rir), `${prefix}.db.${c}.gz`), { encoding: 'latin1', gzip: true });
      if (ctx.rir === 'ripencc') await files[c].write(`${RIPE_DUMP_HEADER}\n`);
    }
    return new DumpWriter(ctx, files);
  }

  async close(): Promise<WrittenFile[]> {
    return Promise.all(CLASSES.map((c) => this.files[c].close()));
  }

  async writeHolder(holder: Holder): Promise<void> {
    const { rng } = holder;
    const orgId = await this.writeOrganisation(holder);
    const own = rng.chance(this.autNumPerHolder) ? await this.writeAutNum(holder, orgId) : undefined;
    const lir = !holder.type.startsWith('pi-');
    this.announcer = this.announcerOf(holder, own, lir);
    const v4Objects = lir ? await this.writeLirV4(holder, orgId) : await this.writePiV4(holder, orgId);
    const v6Objects = Math.round(v4Objects * this.v6PerV4 * (0.5 + rng.float()));
    if (v6Objects > 0) await this.writeV6(holder, orgId, v6Objects, lir);
    if (rng.chance(this.ctx.malformedRate * v4Objects)) await this.writeMalformed(rng);
    if (rng.chance(0.01)) this.freePool(rng);
    if (this.ctx.rir === 'afrinic' && (holder.index === 0 || rng.chance(0.05))) await this.writePersonalObjects(holder);
  }

  /**
   * Who announces a holder's space. Its own network, if it has one — but a few such holders lease
   * their space to another network (drawn from a stream of its own, so the dumps do not change); a
   * holder without a network is announced by its upstream, the last provider written that has one.
   */
  private announcerOf(holder: Holder, own: Announcer | undefined, lir: boolean): Announcer | undefined {
    const leased = own !== undefined && this.upstream !== undefined && rngFor(this.ctx.seed, `lease:${this.ctx.rir}`, holder.index).chance(0.03);
    const announcer = own === undefined || leased ? this.upstream : own;
    if (own !== undefined && lir && (holder.type === 'isp' || holder.type === 'mobile' || holder.type === 'hosting')) this.upstream = own;
    return announcer;
  }

  /** Records that the holder's announcer announces `first`–`last`. */
  private route(family: 4 | 6, first: number | bigint, last: number | bigint): void {
    if (this.announcer !== undefined) this.routes.push({ family, first, last, ...this.announcer });
  }

  // ---- organisations and aut-nums -------------------------------------------------------------

  private async writeOrganisation(holder: Holder): Promise<string> {
    const { rng, party } = holder;
    const orgId = `ORG-${initials(party.brand)}${holder.index + 1}${this.profile.handleSuffix}`;
    const spelled = this.spell(rng, party);
    const attrs: Attribute[] = [{ name: 'organisation', value: orgId }];
    if (!this.profile.holderNamesHidden) attrs.push({ name: 'org-name', value: spelled.name });
    attrs.push({ name: 'org-type', value: holder.type.startsWith('pi-') ? 'OTHER' : 'LIR' });
    attrs.push({ name: 'country', value: rng.chance(0.03) ? holder.country.toLowerCase() : holder.country });
    if (this.profile.dummified) {
      attrs.push({ name: 'address', value: `Dummy address for ${orgId}` }, { name: 'e-mail', value: 'unread@ripe.net' });
      attrs.push({ name: 'abuse-c', value: `AR${holder.index + 1}${this.profile.handleSuffix}` });
    } else if (!this.profile.holderNamesHidden) {
      attrs.push({ name: 'address', value: spelled.name, continuation: addressLines(rng, party) });
    }
    attrs.push({ name: 'mnt-ref', value: `${maintainer(party)}` }, { name: 'mnt-by', value: `${maintainer(party)}` });
    const line = await this.writeObject('organisation', attrs, rng);
    await this.record('organisation', line, orgId, '', holder.party, this.reasonFor(holder.party, HOLDER_CLASS[holder.type]), spelled);
    return orgId;
  }

  private async writeAutNum(holder: Holder, orgId: string): Promise<Announcer> {
    const { rng, party } = holder;
    const asn = this.nextAsn++;
    const attrs: Attribute[] = [{ name: 'aut-num', value: `AS${asn}` }, { name: 'as-name', value: slug(party.brand).slice(0, 24) }];
    if (!this.profile.holderNamesHidden) attrs.push({ name: 'descr', value: this.spell(rng, party).name });
    attrs.push({ name: 'org', value: orgId }, { name: 'status', value: 'ASSIGNED' }, { name: 'mnt-by', value: maintainer(party) });
    const line = await this.writeObject('aut-num', attrs, rng);
    await this.record('aut-num', line, `AS${asn}`, '', party, this.reasonFor(party, HOLDER_CLASS[holder.type]), { name: slug(party.brand), source: 'as-name', noise: 'none' });
    this.delegated.add({ type: 'asn', start: String(asn), value: 1, date: compactDate(rng), status: 'assigned', country: this.delegatedCountry(holder), opaqueId: this.opaqueIdOf(holder), sort: asn });
    return { asn, name: [party.brand, party.formVariants[0]].filter((w) => w !== undefined && w !== '').join(' ') };
  }

  // ---- IPv4 ------------------------------------------------------------------------------------

  private async writeLirV4(holder: Holder, orgId: string): Promise<number> {
    const { rng } = holder;
    const children = planChildren(this.ctx, holder);
    const used = layout(children, 0);
    const nonCidrAllocation = rng.chance(0.03) && used > 256;
    // One address more than the children use: the allocation keeps space of its own (and its last address).
    const blockSize = ceilPowerOfTwo(used + 1);
    const start = this.v4.take(nonCidrAllocation ? blockSize * 2 : blockSize);
    const size = nonCidrAllocation ? blockSize + blockSize / 2 : blockSize;
    const rangeClass = HOLDER_CLASS[holder.type];
    const netname = `${holder.country}-${slug(holder.party.brand).slice(0, 20)}-${compactDate(rng)}`;
    const spelled = this.spell(rng, holder.party);
    const key = v4Key(start, size);
    // A region's LIR writes the region's code in its allocation too, as RIPE's `country: EU` objects do.
    const line = await this.writeRange('inetnum', rng, { key, netname, descr: [spelled.name], country: this.delegatedCountry(holder), orgId, status: this.profile.status.allocation, holder: holder.party });
    await this.record('inetnum', line, key, rangeClass, holder.party, this.reasonFor(holder.party, rangeClass), spelled);
    // The last address of an allocation is left to no child: it answers with the allocation's own class.
    await this.maybeSample(rng, start + size - 1, 4, rangeClass, holder.party, key, 1);
    this.delegated.add({ type: 'ipv4', start: formatIpv4(start), value: size, date: compactDate(rng), status: 'allocated', country: this.delegatedCountry(holder), opaqueId: this.opaqueIdOf(holder), sort: start });
    this.route(4, start, start + size - 1);
    let objects = 1;
    for (const child of children) objects += await this.writeChild(holder, child, start, orgId);
    return objects;
  }

  private async writeChild(holder: Holder, child: ChildPlan & { offset?: number }, base: number, orgId: string): Promise<number> {
    const { rng } = holder;
    const start = base + (child.offset ?? 0);
    const key = v4Key(start, child.size);
    if (child.kind === 'sub-allocation') {
      const netname = `${slug(holder.party.brand).slice(0, 12)}-RESELLER-${child.children.length}`;
      const line = await this.writeRange('inetnum', rng, { key, netname, descr: [`Sub-allocation to reseller`], country: holder.country, orgId: undefined, status: this.profile.status.subAllocation, holder: holder.party });
      await this.record('inetnum', line, key, 'isp', holder.party, 'access-provider', { name: netname, source: 'netname', noise: 'none' });
      let objects = 1;
      for (const nested of child.children) objects += await this.writeChild(holder, nested, start, orgId);
      return objects;
    }
    const rangeClass = CHILD_CLASS[child.kind];
    const named = this.childText(holder, child, rng);
    const line = await this.writeRange('inetnum', rng, {
      key,
      netname: named.netname,
      descr: named.descr,
      descrContinuation: 'continuation' in named ? named.continuation : undefined,
      country: holder.country,
      orgId: named.org,
      status: this.profile.status.assignment,
      holder: holder.party,
    });
    const target = named.party;
    await this.record('inetnum', line, key, rangeClass, target, this.reasonFor(target, rangeClass), named.spelled);
    await this.maybeSample(rng, start + rng.int(child.size), 4, rangeClass, target, key);
    return 1;
  }

  /** The netname and descr lines of a child, and whom the truth says it names. */
  private childText(holder: Holder, child: ChildPlan, rng: Rng) {
    const providerSlug = slug(holder.party.brand).slice(0, 16);
    const n = rng.between(1, 99);
    const none = { name: '', source: '', noise: 'none' };
    switch (child.kind) {
      case 'pool':
        return { netname: `${providerSlug}-${rng.pick(['DSL-POOL', 'BB-DYNAMIC', 'FTTH-DYN', 'CGNAT', 'CABLE-POOL'])}-${n}`, descr: [rng.pick(['Dynamic IP pool for residential customers', 'Broadband customers', 'xDSL dynamic pool', 'CGNAT pool', 'Residential subscribers'])], org: undefined, party: undefined as Party | undefined, spelled: none };
      case 'mobile-pool':
        return { netname: `${providerSlug}-${rng.pick(['MOBILE-POOL', 'LTE-CGNAT', 'GPRS', '5G-NAT'])}-${n}`, descr: [rng.pick(['Mobile subscribers', 'GPRS/UMTS/LTE customer pool', 'Mobile data customers'])], org: undefined, party: undefined, spelled: none };
      case 'infrastructure':
        return { netname: `${providerSlug}-${rng.pick(['INFRA', 'BACKBONE', 'MGMT', 'CORE'])}`, descr: [rng.pick(['Infrastructure', 'Network management', 'Backbone links'])], org: undefined, party: undefined, spelled: none };
      case 'hosting': {
        const spelled = this.spell(rng, holder.party);
        return { netname: `${providerSlug}-${rng.pick(['CLOUD', 'VPS', 'DEDI', 'SERVERS'])}-${n}`, descr: [`${spelled.name} ${rng.pick(['cloud servers', 'virtual private servers', 'dedicated servers'])}`], org: undefined, party: holder.party, spelled };
      }
      case 'office':
      case 'campus':
      case 'government': {
        const spelled = this.spell(rng, holder.party);
        const suffix = child.kind === 'office' ? rng.pick(['NET', 'OFFICE', 'CORP']) : child.kind === 'campus' ? rng.pick(['CAMPUS', 'LAN', 'RESNET']) : 'GOV';
        return { netname: `${slug(holder.party.brand).slice(0, 16)}-${suffix}`, descr: [spelled.name], org: undefined, party: holder.party, spelled };
      }
      case 'customer-unnamed':
        return { netname: `${providerSlug}-CUST-${rng.between(1000, 99999)}`, descr: [rng.pick([`${holder.party.brand} customer`, 'Customer network', 'Business customer', 'Leased line customer'])], org: undefined, party: undefined, spelled: none };
      default:
        return this.customerText(holder, child.party as Party, rng);
    }
  }

  /** A customer assignment: the customer's name in descr (or only in the netname), sometimes with address, register number or website. */
  private customerText(holder: Holder, customer: Party, rng: Rng) {
    const spelled = this.spell(rng, customer);
    const customerSlug = slug(customer.brand).slice(0, 20);
    const netname = rng.chance(0.5) ? `${customerSlug}-NET` : `${holder.country}-${customerSlug}`;
    if (rng.chance(0.05)) {
      return { netname, descr: [`${holder.party.brand} customer`], org: undefined, party: customer, spelled: { name: netname, source: 'netname', noise: 'netname-only' } };
    }
    const descr = [rng.chance(0.08) ? `${rng.pick(['Customer: ', 'Client: '])}${spelled.name}` : spelled.name];
    // An address after the name: as more descr lines, or (older objects) as continuation lines of the first.
    const address = rng.chance(0.2) ? addressLines(rng, customer) : [];
    const continued = address.length > 0 && rng.chance(0.3);
    if (!continued) descr.push(...address);
    const company = customer.company;
    if (company !== undefined && rng.chance(0.06)) descr.push(registerNumberLine(company.register, company.id, rng));
    if (company?.website !== undefined && rng.chance(0.3)) descr.push(`www.${company.website}`);
    return { netname, descr, continuation: continued ? address : undefined, org: undefined, party: customer, spelled };
  }

  private async writePiV4(holder: Holder, orgId: string): Promise<number> {
    const { rng } = holder;
    const size = rng.weighted([[256, 8], [512, 1], [1024, 0.5]]);
    const start = this.v4.take(size);
    const rangeClass = HOLDER_CLASS[holder.type];
    const legacy = rng.chance(0.06);
    const key = v4Key(start, size);
    const spelled = this.spell(rng, holder.party);
    const line = await this.writeRange('inetnum', rng, { key, netname: `${slug(holder.party.brand).slice(0, 20)}-PI`, descr: [spelled.name], country: holder.country, orgId, status: legacy ? this.profile.status.legacy : this.profile.status.pi, holder: holder.party, legacy });
    await this.record('inetnum', line, key, rangeClass, holder.party, this.reasonFor(holder.party, rangeClass), spelled);
    await this.maybeSample(rng, start + rng.int(size), 4, rangeClass, holder.party, key);
    this.delegated.add({ type: 'ipv4', start: formatIpv4(start), value: size, date: compactDate(rng), status: 'assigned', country: holder.country, opaqueId: this.opaqueIdOf(holder), sort: start });
    this.route(4, start, start + size - 1);
    return 1;
  }

  // ---- IPv6 ------------------------------------------------------------------------------------

  private async writeV6(holder: Holder, orgId: string, count: number, lir: boolean): Promise<void> {
    const { rng } = holder;
    const rangeClass = HOLDER_CLASS[holder.type];
    if (!lir) {
      const start = this.v6.take(48);
      const key = `${formatIpv6(start)}/48`;
      const spelled = this.spell(rng, holder.party);
      const line = await this.writeRange('inet6num', rng, { key, netname: `${slug(holder.party.brand).slice(0, 20)}-V6`, descr: [spelled.name], country: holder.country, orgId, status: this.profile.status.v6Pi, holder: holder.party });
      await this.record('inet6num', line, key, rangeClass, holder.party, this.reasonFor(holder.party, rangeClass), spelled);
      await this.maybeSample(rng, start + BigInt(rng.int(65536)), 6, rangeClass, holder.party, key);
      this.delegated.add({ type: 'ipv6', start: formatIpv6(start), value: 48, date: compactDate(rng), status: 'assigned', country: holder.country, opaqueId: this.opaqueIdOf(holder), sort: start });
      this.route(6, start, ipv6PrefixEnd(start, 48));
      return;
    }
    const allocationLength = rng.weighted([[32, 6], [29, 3], [30, 1]]);
    const start = this.v6.take(allocationLength);
    const key = `${formatIpv6(start)}/${allocationLength}`;
    const spelled = this.spell(rng, holder.party);
    const line = await this.writeRange('inet6num', rng, { key, netname: `${holder.country}-${slug(holder.party.brand).slice(0, 20)}-V6`, descr: [spelled.name], country: holder.country, orgId, status: this.profile.status.v6Allocation, holder: holder.party });
    await this.record('inet6num', line, key, rangeClass, holder.party, this.reasonFor(holder.party, rangeClass), spelled);
    this.delegated.add({ type: 'ipv6', start: formatIpv6(start), value: allocationLength, date: compactDate(rng), status: 'allocated', country: this.delegatedCountry(holder), opaqueId: this.opaqueIdOf(holder), sort: start });
    this.route(6, start, ipv6PrefixEnd(start, allocationLength));
    // Children: /40 aggregates of /48s for an access provider's customers, /48 assignments otherwise.
    for (let i = 1; i < count; i++) {
      const pooled = (holder.type === 'isp' || holder.type === 'mobile') && rng.chance(0.5);
      const length = pooled ? 40 : 48;
      const childStart = start + BigInt(i) * (1n << BigInt(128 - 40));
      if (childStart >= start + (1n << BigInt(128 - allocationLength))) break;
      const childKey = `${formatIpv6(childStart)}/${length}`;
      const customer = holder.type === 'isp' && !pooled ? pickParty(rng, holder.country, 'business', this.ctx.registers, this.ctx.gleif) : holder.party;
      const childClass: RangeClass = pooled ? (holder.type === 'mobile' ? 'mobile' : 'isp') : holder.type === 'isp' ? 'business' : rangeClass;
      const childSpelled = customer === undefined || pooled ? { name: '', source: '', noise: 'none' } : this.spell(rng, customer);
      const status = pooled && this.profile.status.v6Aggregated !== undefined ? this.profile.status.v6Aggregated : this.profile.status.v6Assignment;
      const descr = pooled ? ['Broadband customers'] : [childSpelled.name];
      const childLine = await this.writeRange('inet6num', rng, {
        key: childKey,
        netname: `${slug((customer ?? holder.party).brand).slice(0, 16)}-V6-${i}`,
        descr,
        country: holder.country,
        orgId: undefined,
        status,
        holder: holder.party,
        assignmentSize: pooled && this.profile.status.v6Aggregated !== undefined ? 48 : undefined,
      });
      const target = pooled ? undefined : customer;
      await this.record('inet6num', childLine, childKey, childClass, target, this.reasonFor(target, childClass), childSpelled);
      await this.maybeSample(rng, childStart + BigInt(rng.int(1 << 16)), 6, childClass, target, childKey);
    }
  }

  /** An inetnum or inet6num: LACNIC's minimal form where holder names are hidden, else the full one. */
  private async writeRange(objectClass: 'inetnum' | 'inet6num', rng: Rng, r: RangeObject): Promise<number> {
    const keyValue = objectClass === 'inetnum' && this.profile.holderNamesHidden ? lacnicKey(r.key) : r.key;
    if (this.profile.holderNamesHidden) {
      const owner = `${r.country}-${initials(r.holder.brand)}-LACNIC`;
      return this.writeObject(objectClass, [{ name: objectClass, value: keyValue }, { name: 'status', value: r.status }, { name: 'ownerid', value: owner }, { name: 'country', value: r.country }], rng);
    }
    const attrs: Attribute[] = [{ name: objectClass, value: keyValue }, { name: 'netname', value: r.netname.slice(0, 40) }];
    r.descr.forEach((d, i) => attrs.push({ name: 'descr', value: d, continuation: i === 0 ? r.descrContinuation : undefined }));
    attrs.push({ name: 'country', value: objectClass === 'inetnum' && rng.chance(0.02) ? r.country.toLowerCase() : r.country });
    if (objectClass === 'inetnum' && rng.chance(0.01)) attrs.push({ name: 'country', value: `${r.country} # Country is really world wide` });
    if (r.orgId !== undefined) attrs.push({ name: 'org', value: r.orgId });
    attrs.push(...this.contacts(rng), { name: 'status', value: r.status });
    if (r.assignmentSize !== undefined) attrs.push({ name: 'assignment-size', value: String(r.assignmentSize), unpadded: rng.chance(0.5) });
    attrs.push({ name: 'mnt-by', value: maintainer(r.holder) });
    return this.writeObject(objectClass, attrs, rng, r.legacy === true);
  }

  // ---- writing, truth, samples ----------------------------------------------------------------

  private contacts(rng: Rng): Attribute[] {
    if (this.profile.dummified) return [{ name: 'admin-c', value: 'DUMY-RIPE' }, { name: 'tech-c', value: 'DUMY-RIPE' }];
    const handle = `${String.fromCharCode(65 + rng.int(26))}${String.fromCharCode(65 + rng.int(26))}${rng.between(1, 9999)}${this.profile.handleSuffix}`;
    return [{ name: 'admin-c', value: handle }, { name: 'tech-c', value: handle }];
  }

  /** Writes an object with the registry's dating and dummification; returns the line of its first attribute. */
  private async writeObject(objectClass: ObjectClass, attributes: Attribute[], rng: Rng, legacy = false): Promise<number> {
    const attrs = attributes;
    switch (this.profile.dating) {
      case 'created':
        attrs.push({ name: 'created', value: legacy || rng.chance(0.03) ? '1970-01-01T00:00:00Z' : timestamp(rng, 1995) });
        attrs.push({ name: 'last-modified', value: timestamp(rng, 2015) });
        break;
      case 'last-modified':
        attrs.push({ name: 'last-modified', value: timestamp(rng, 2010) });
        break;
      case 'changed':
        attrs.push({ name: 'changed', value: `***@${rng.pick(['afrinic.net', 'mtn.co.za', 'safaricom.co.ke', 'telecom.eg'])} ${compactDate(rng)}` });
        break;
    }
    attrs.push({ name: 'source', value: rng.chance(0.02) ? `${this.profile.source} # Filtered` : this.profile.source });
    const line = this.files[objectClass].lines + 1;
    const style = CONTINUATION_STYLES.pick(rng);
    await this.files[objectClass].write(objectText(attrs, style, this.profile.dummified ? RIPE_DUMMY_TRAILER_TEXT : ''));
    this.counts[objectClass]++;
    return line;
  }

  private spell(rng: Rng, party: Party): { name: string; source: string; noise: string } {
    const company = party.company;
    const r = rng.float();
    if (company?.tradingName !== undefined && r < 0.15) return { name: company.tradingName, source: 'trading-name', noise: 'none' };
    if (company !== undefined && company.previousNames.length > 0 && r < 0.35) {
      return { name: company.previousNames[0]!.name, source: 'previous-name', noise: 'none' };
    }
    if (company !== undefined && r > 0.93) return { name: company.name !== '' ? company.name : company.brand, source: 'registered-name', noise: 'none' };
    const spelled = whoisSpelling(rng, party.brand, party.formVariants);
    return { name: spelled.name, source: 'brand', noise: spelled.noise };
  }

  private reasonFor(party: Party | undefined, rangeClass: RangeClass): LinkReason {
    if (rangeClass === 'isp' || rangeClass === 'mobile') return 'access-provider';
    if (party === undefined || this.profile.holderNamesHidden) return 'holder-hidden';
    if (party.kind === 'gleif') return 'gleif';
    if (party.kind === 'unregistered') return 'no-register';
    const company = party.company!;
    if (company.person !== undefined) return 'natural-person';
    if (!company.inRegister) return 'left-register';
    if (company.partialDiffusion) return 'not-for-publication';
    if (company.marketingOptOut) return 'marketing-opt-out';
    return 'registered';
  }

  private async record(
    objectClass: ObjectClass,
    line: number,
    key: string,
    rangeClass: RangeClass | '',
    party: Party | undefined,
    reason: LinkReason,
    spelled: { name: string; source: string; noise: string },
  ): Promise<void> {
    const linked = reason === 'registered' || reason === 'gleif';
    if (reason === 'registered' && party?.company !== undefined) await this.maybeSuppress(party.company.register, party.company.id, party.company.name);
    await this.ctx.truth.object({
      source: rpslSourceId(this.ctx.rir),
      file: `${dumpPrefix(this.ctx.rir)}.db.${objectClass}.gz`,
      line,
      objectClass,
      key: this.profile.holderNamesHidden && objectClass === 'inetnum' ? lacnicKey(key) : key,
      rangeClass,
      register: linked && reason === 'registered' ? (party?.company?.register ?? '') : '',
      registerId: linked && reason === 'registered' ? (party?.company?.id ?? '') : '',
      lei: linked ? (party?.lei ?? '') : '',
      reason,
      nameUsed: spelled.name,
      nameSource: spelled.source,
      noise: spelled.noise,
    });
  }

  /** The sample suppression list: the first companies linked in each registry, then one in five hundred. */
  private async maybeSuppress(register: string, id: string, name: string): Promise<void> {
    const key = `${register}:${id}`;
    if (this.suppressed.has(key)) return;
    if (this.suppressed.size >= 3 && !rngFor(this.ctx.seed, 'suppress', hashKey(key)).chance(0.002)) return;
    this.suppressed.add(key);
    await this.ctx.truth.suppress(register, id, name);
  }

  private async maybeSample(rng: Rng, address: number | bigint, family: 4 | 6, rangeClass: RangeClass, party: Party | undefined, key: string, weight = 1): Promise<void> {
    if (!rng.chance(this.ctx.sampleRate * weight)) return;
    const reason = this.reasonFor(party, rangeClass);
    await this.ctx.truth.sampleAddress({
      address: family === 4 ? formatIpv4(address as number) : formatIpv6(address as bigint),
      family,
      rangeClass: this.profile.holderNamesHidden ? 'unknown' : rangeClass,
      register: reason === 'registered' ? (party?.company?.register ?? '') : '',
      registerId: reason === 'registered' ? (party?.company?.id ?? '') : '',
      lei: reason === 'gleif' || reason === 'registered' ? (party?.lei ?? '') : '',
      source: rpslSourceId(this.ctx.rir),
      objectKey: key,
    });
  }

  /** The country of a holder's delegated records and allocations: its own, or for a few LIRs the region's code (profile.regionCountry). */
  private delegatedCountry(holder: Holder): string {
    const region = this.profile.regionCountry;
    if (region === undefined || !rngFor(this.ctx.seed, `region:${this.ctx.rir}`, holder.index).chance(region.share)) return holder.country;
    return region.code;
  }

  private opaqueIdOf(holder: Holder): string {
    return this.profile.opaqueId(rngFor(this.ctx.seed, `opaque:${this.ctx.rir}`, holder.index));
  }

  /** Leaves a gap in the address space, listed as available (or reserved) in the delegated file. */
  private freePool(rng: Rng): void {
    const size = rng.weighted([[256, 2], [1024, 3], [4096, 1]]);
    const start = this.v4.take(size);
    this.delegated.add({ type: 'ipv4', start: formatIpv4(start), value: size, date: '', status: rng.chance(0.7) ? 'available' : 'reserved', country: this.profile.freePoolCountry, opaqueId: '', sort: start });
  }

  /** A deliberately malformed object, recorded in the truth with its line. */
  private async writeMalformed(rng: Rng): Promise<void> {
    const kind = rng.weighted([['inverted-range', 3], ['bad-address', 3], ['missing-key', 2], ['garbage-line', 2], ['bad-prefix', 2]] as const);
    const objectClass: ObjectClass = kind === 'bad-prefix' ? 'inet6num' : 'inetnum';
    const file = this.files[objectClass];
    const line = file.lines + 1;
    const source = this.profile.source;
    const text =
      kind === 'inverted-range'
        ? `inetnum:        10.0.0.9 - 10.0.0.1\nnetname:        BROKEN-RANGE\ncountry:        NL\nstatus:         ASSIGNED PA\nsource:         ${source}\n\n`
        : kind === 'bad-address'
          ? `inetnum:        193.0.300.0 - 193.0.300.255\nnetname:        BAD-ADDRESS\ncountry:        DE\nstatus:         ASSIGNED PA\nsource:         ${source}\n\n`
          : kind === 'missing-key'
            ? `inetnum:\nnetname:        NO-KEY\ncountry:        FR\nstatus:         ASSIGNED PA\nsource:         ${source}\n\n`
            : kind === 'garbage-line'
              ? `inetnum:        192.0.2.0 - 192.0.2.255\nnetname         MISSING-COLON\nthis line is not an attribute\nsource:         ${source}\n\n`
              : `inet6num:       2a00:1450:4000::/129\nnetname:        TOO-LONG-PREFIX\ncountry:        IE\nstatus:         ASSIGNED\nsource:         ${source}\n\n`;
    await file.write(text);
    await this.ctx.truth.malformed(rpslSourceId(this.ctx.rir), `${dumpPrefix(this.ctx.rir)}.db.${objectClass}.gz`, line, objectClass, kind);
  }

  /** AFRINIC's dump holds every class in one file, persons and roles included: a few are written here. */
  private async writePersonalObjects(holder: Holder): Promise<void> {
    const { rng } = holder;
    const people = PEOPLE['GB']!;
    const name = `${rng.pick(people.given)} ${rng.pick(people.family)}`;
    const handle = `${initials(name)}${holder.index}-AFRINIC`;
    const person = `person:         ${name}\naddress:        ${rng.between(1, 99)} ${rng.pick(['Main Road', 'Church Street'])}\nphone:          +27 11 ${rng.between(100, 999)} ${rng.between(1000, 9999)}\ne-mail:         ${name.toLowerCase().replace(' ', '.')}@example.co.za\nnic-hdl:        ${handle}\nsource:         AFRINIC\n\n`;
    const line = this.files.inetnum.lines + 1;
    await this.files.inetnum.write(person);
    await this.ctx.truth.object({ source: rpslSourceId('afrinic'), file: 'afrinic.db.inetnum.gz', line, objectClass: 'person', key: handle, rangeClass: '', register: '', registerId: '', lei: '', reason: 'natural-person', nameUsed: name, nameSource: 'person', noise: 'none' });
    const roleLine = this.files.inetnum.lines + 1;
    await this.files.inetnum.write(`role:           ${slug(holder.party.brand)} NOC\naddress:        PO Box ${rng.between(100, 9999)}\ne-mail:         noc@example.co.za\nadmin-c:        ${handle}\nnic-hdl:        NOC${holder.index}-AFRINIC\nsource:         AFRINIC\n\n`);
    await this.ctx.truth.object({ source: rpslSourceId('afrinic'), file: 'afrinic.db.inetnum.gz', line: roleLine, objectClass: 'role', key: `NOC${holder.index}-AFRINIC`, rangeClass: '', register: '', registerId: '', lei: '', reason: 'natural-person', nameUsed: '', nameSource: 'role', noise: 'none' });
  }
}

/**
 * Places children one after another, largest first, each aligned to its own size (so no alignment
 * leaves a hole); returns the addresses used.
 */
function layout(children: (ChildPlan & { offset?: number })[], base: number): number {
  for (const child of children) {
    if (child.kind === 'sub-allocation') child.size = ceilPowerOfTwo(layout(child.children, 0));
  }
  const span = (c: ChildPlan) => (c.nonCidr ? ceilPowerOfTwo(c.size) : c.size);
  children.sort((a, b) => span(b) - span(a));
  let at = base;
  for (const child of children) {
    const align = child.nonCidr ? ceilPowerOfTwo(child.size) : child.size;
    at = Math.ceil(at / align) * align;
    child.offset = at;
    at += child.nonCidr ? ceilPowerOfTwo(child.size) : child.size;
  }
  return Math.max(1, at - base);
}

function hashKey(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) >>> 0;
  return h;
}

function v4Key(start: number, size: number): string {
  return `${formatIpv4(start)} - ${formatIpv4(start + size - 1)}`;
}

/** LACNIC writes inetnums as prefixes ("200.1.2.0/24"); a non-CIDR range keeps the range form. */
function lacnicKey(key: string): string {
  const [from, to] = key.split(' - ');
  if (to === undefined) return key;
  const toInt = (t: string) => t.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = toInt(to) - toInt(from!) + 1;
  const length = 32 - Math.log2(size);
  return Number.isInteger(length) ? `${from}/${length}` : key;
}

function initials(text: string): string {
  const letters = slug(text)
    .split('-')
    .map((w) => w[0] ?? '')
    .join('');
  return (letters + 'XX').slice(0, 2 + (letters.length > 2 ? 1 : 0));
}

function maintainer(party: Party): string {
  return `${slug(party.brand).slice(0, 20)}-MNT`;
}

function timestamp(rng: Rng, fromYear: number): string {
  const day = dateBetween(rng, fromYear, 2026);
  return `${day}T${String(rng.int(24)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}Z`;
}

function compactDate(rng: Rng): string {
  return dateBetween(rng, 1992, 2025).replace(/-/g, '');
}

function addressLines(rng: Rng, party: Party): string[] {
  const a = party.company?.address;
  if (a === undefined) return [party.country];
  return [`${a.houseNumber} ${a.street}`, `${a.postcode} ${a.city}`, ...(rng.chance(0.3) ? [''] : [])];
}

/** The line a WHOIS writer adds to quote a company's register number. */
function registerNumberLine(register: string, id: string, rng: Rng): string {
  switch (register) {
    case 'gb-companies-house':
      return rng.pick([`Company No. ${id}`, `Registered in England No ${id}`, `CRN ${id}`]);
    case 'fr-sirene':
      return rng.pick([`SIREN ${id}`, `SIREN: ${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`, `RCS ${id}`]);
    case 'no-brreg':
      return rng.pick([`Org.nr. ${id}`, `Org nr ${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`, `NO ${id} MVA`]);
    case 'be-kbo':
      return rng.pick([`KBO ${id}`, `BCE ${id}`, `VAT BE${id.replace(/\./g, '')}`]);
    case 'lv-ur':
      return rng.pick([`Reg. Nr. ${id}`, `Reģ. nr. ${id}`, `PVN LV${id}`]);
    case 'cz-res':
      return rng.pick([`IČO: ${id}`, `ICO ${id}`, `DIČ: CZ${id}`]);
    case 'ie-cro':
      return rng.pick([`CRO ${id}`, `Company No. ${id}`, `Registered in Ireland No. ${id}`]);
    case 'fi-prh':
      return rng.pick([`Y-tunnus: ${id}`, `Business ID ${id}`, `VAT FI${id.replace('-', '')}`]);
    case 'se-bolagsverket':
      return rng.pick([`Org.nr: ${id.slice(0, 6)}-${id.slice(6)}`, `Org. no ${id}`, `Organisationsnummer ${id.slice(0, 6)}-${id.slice(6)}`, `VAT SE${id}01`]);
    case 'lt-jar':
      return rng.pick([`Įmonės kodas ${id}`, `Imones kodas: ${id}`, `Company code ${id}`]);
    default:
      return rng.pick([`Reg. code ${id}`, `Registrikood ${id}`]);
  }
}
