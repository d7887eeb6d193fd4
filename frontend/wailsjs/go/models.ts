export namespace channels {
	
	export class Note {
	    code: string;
	    params: Record<string, string>;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Note(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.params = source["params"];
	        this.text = source["text"];
	    }
	}
	export class Permissions {
	    granted: string[];
	    missing: string[];
	
	    static createFrom(source: any = {}) {
	        return new Permissions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.granted = source["granted"];
	        this.missing = source["missing"];
	    }
	}
	export class Secret {
	    name: string;
	    label: string;
	    required: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Secret(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.required = source["required"];
	    }
	}
	export class TemplateButton {
	    index: number;
	    type: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateButton(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.type = source["type"];
	        this.text = source["text"];
	    }
	}
	export class TemplateMedia {
	    format: string;
	    link: string;
	    filename: string;
	    latitude: number;
	    longitude: number;
	    name: string;
	    address: string;
	
	    static createFrom(source: any = {}) {
	        return new TemplateMedia(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.format = source["format"];
	        this.link = source["link"];
	        this.filename = source["filename"];
	        this.latitude = source["latitude"];
	        this.longitude = source["longitude"];
	        this.name = source["name"];
	        this.address = source["address"];
	    }
	}

}

export namespace crisis {
	
	export class Topic {
	    terms: string[];
	    text: string;
	    count: number;
	    authors: number;
	
	    static createFrom(source: any = {}) {
	        return new Topic(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.terms = source["terms"];
	        this.text = source["text"];
	        this.count = source["count"];
	        this.authors = source["authors"];
	    }
	}
	export class Bin {
	    start: string;
	    negative: number;
	    total: number;
	    baseline: number;
	    upper: number;
	    baselineTotal: number;
	    learning: boolean;
	    observedFraction: number;
	
	    static createFrom(source: any = {}) {
	        return new Bin(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.start = source["start"];
	        this.negative = source["negative"];
	        this.total = source["total"];
	        this.baseline = source["baseline"];
	        this.upper = source["upper"];
	        this.baselineTotal = source["baselineTotal"];
	        this.learning = source["learning"];
	        this.observedFraction = source["observedFraction"];
	    }
	}
	export class AuthorImpact {
	    author: string;
	    messages: number;
	    reach: number;
	    replies: number;
	    weight: number;
	
	    static createFrom(source: any = {}) {
	        return new AuthorImpact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.author = source["author"];
	        this.messages = source["messages"];
	        this.reach = source["reach"];
	        this.replies = source["replies"];
	        this.weight = source["weight"];
	    }
	}
	export class Sample {
	    at: string;
	    author: string;
	    reach: number;
	    text: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new Sample(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.author = source["author"];
	        this.reach = source["reach"];
	        this.text = source["text"];
	        this.url = source["url"];
	    }
	}
	export class TermScore {
	    term: string;
	    count: number;
	    score: number;
	
	    static createFrom(source: any = {}) {
	        return new TermScore(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.term = source["term"];
	        this.count = source["count"];
	        this.score = source["score"];
	    }
	}
	export class Key {
	    account: string;
	    channel: string;
	
	    static createFrom(source: any = {}) {
	        return new Key(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.channel = source["channel"];
	    }
	}
	export class Alert {
	    key: Key;
	    start: string;
	    detectedAt: string;
	    windowMs: number;
	    observed: number;
	    baseline: number;
	    threshold: number;
	    pValue: number;
	    volume: number;
	    escalation: boolean;
	    sequential: boolean;
	    topTerms: TermScore[];
	    topPhrases: string[];
	    samples: Sample[];
	    authors: AuthorImpact[];
	    series: Bin[];
	    kind: string;
	    weighted: number;
	    influencers: AuthorImpact[];
	    topic: Topic;
	
	    static createFrom(source: any = {}) {
	        return new Alert(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = this.convertValues(source["key"], Key);
	        this.start = source["start"];
	        this.detectedAt = source["detectedAt"];
	        this.windowMs = source["windowMs"];
	        this.observed = source["observed"];
	        this.baseline = source["baseline"];
	        this.threshold = source["threshold"];
	        this.pValue = source["pValue"];
	        this.volume = source["volume"];
	        this.escalation = source["escalation"];
	        this.sequential = source["sequential"];
	        this.topTerms = this.convertValues(source["topTerms"], TermScore);
	        this.topPhrases = source["topPhrases"];
	        this.samples = this.convertValues(source["samples"], Sample);
	        this.authors = this.convertValues(source["authors"], AuthorImpact);
	        this.series = this.convertValues(source["series"], Bin);
	        this.kind = source["kind"];
	        this.weighted = source["weighted"];
	        this.influencers = this.convertValues(source["influencers"], AuthorImpact);
	        this.topic = this.convertValues(source["topic"], Topic);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class KeyState {
	    key: Key;
	    status: string;
	    binStart?: string | null;
	    observed: number;
	    volume: number;
	    baseline: number;
	    baselineVolume: number;
	    threshold: number;
	    historyFrom?: string | null;
	    learningUntil?: string | null;
	    lastAlert?: string | null;
	    cooldownUntil?: string | null;
	    late: number;
	    dropped: number;
	    lastMessage?: string | null;
	    dormant: boolean;
	
	    static createFrom(source: any = {}) {
	        return new KeyState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = this.convertValues(source["key"], Key);
	        this.status = source["status"];
	        this.binStart = source["binStart"];
	        this.observed = source["observed"];
	        this.volume = source["volume"];
	        this.baseline = source["baseline"];
	        this.baselineVolume = source["baselineVolume"];
	        this.threshold = source["threshold"];
	        this.historyFrom = source["historyFrom"];
	        this.learningUntil = source["learningUntil"];
	        this.lastAlert = source["lastAlert"];
	        this.cooldownUntil = source["cooldownUntil"];
	        this.late = source["late"];
	        this.dropped = source["dropped"];
	        this.lastMessage = source["lastMessage"];
	        this.dormant = source["dormant"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	

}

export namespace drafts {
	
	export class Actor {
	    name: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new Actor(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.role = source["role"];
	    }
	}
	export class Approval {
	    needsApprover: boolean;
	    twoPerson: boolean;
	    reasons: string[];
	
	    static createFrom(source: any = {}) {
	        return new Approval(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.needsApprover = source["needsApprover"];
	        this.twoPerson = source["twoPerson"];
	        this.reasons = source["reasons"];
	    }
	}
	export class AuditEntry {
	    replyId: string;
	    who: string;
	    role: string;
	    when: string;
	    action: string;
	    from: string;
	    to: string;
	    comment: string;
	    diff: string;
	
	    static createFrom(source: any = {}) {
	        return new AuditEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.replyId = source["replyId"];
	        this.who = source["who"];
	        this.role = source["role"];
	        this.when = source["when"];
	        this.action = source["action"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.comment = source["comment"];
	        this.diff = source["diff"];
	    }
	}
	export class Brand {
	    name: string;
	    tone: string;
	    defaultLang: string;
	    signature: string;
	    domain: string;
	
	    static createFrom(source: any = {}) {
	        return new Brand(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.tone = source["tone"];
	        this.defaultLang = source["defaultLang"];
	        this.signature = source["signature"];
	        this.domain = source["domain"];
	    }
	}
	export class Canned {
	    id: string;
	    title: string;
	    lang: string;
	    body: string;
	    tags: string[];
	
	    static createFrom(source: any = {}) {
	        return new Canned(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.lang = source["lang"];
	        this.body = source["body"];
	        this.tags = source["tags"];
	    }
	}
	export class ClassifySettings {
	    enabled: boolean;
	    threshold: number;
	    batch: number;
	
	    static createFrom(source: any = {}) {
	        return new ClassifySettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.threshold = source["threshold"];
	        this.batch = source["batch"];
	    }
	}
	export class Finding {
	    rule: string;
	    lang: string;
	    excerpt: string;
	
	    static createFrom(source: any = {}) {
	        return new Finding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rule = source["rule"];
	        this.lang = source["lang"];
	        this.excerpt = source["excerpt"];
	    }
	}
	export class KBEntry {
	    id: string;
	    title: string;
	    text: string;
	    lang: string;
	    brand: string;
	
	    static createFrom(source: any = {}) {
	        return new KBEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.text = source["text"];
	        this.lang = source["lang"];
	        this.brand = source["brand"];
	    }
	}
	export class Policy {
	    mode: string;
	    me: Actor;
	    checklist: string[];
	
	    static createFrom(source: any = {}) {
	        return new Policy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.me = this.convertValues(source["me"], Actor);
	        this.checklist = source["checklist"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ReplyTemplate {
	    name: string;
	    language: string;
	    header: string[];
	    body: string[];
	    buttons: channels.TemplateButton[];
	    media: channels.TemplateMedia;
	
	    static createFrom(source: any = {}) {
	        return new ReplyTemplate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.language = source["language"];
	        this.header = source["header"];
	        this.body = source["body"];
	        this.buttons = this.convertValues(source["buttons"], channels.TemplateButton);
	        this.media = this.convertValues(source["media"], channels.TemplateMedia);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Reply {
	    id: string;
	    conversationId: number;
	    state: string;
	    author: string;
	    draftText: string;
	    text: string;
	    lang: string;
	    source: string;
	    aiAssisted: boolean;
	    citations: string[];
	    problems: string[];
	    injection: Finding[];
	    approval: Approval;
	    approver: string;
	    comment: string;
	    failReason: string;
	    externalId: string;
	    idempotencyKey: string;
	    template: ReplyTemplate;
	    updatedAt: string;
	    allowed: string[];
	
	    static createFrom(source: any = {}) {
	        return new Reply(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.conversationId = source["conversationId"];
	        this.state = source["state"];
	        this.author = source["author"];
	        this.draftText = source["draftText"];
	        this.text = source["text"];
	        this.lang = source["lang"];
	        this.source = source["source"];
	        this.aiAssisted = source["aiAssisted"];
	        this.citations = source["citations"];
	        this.problems = source["problems"];
	        this.injection = this.convertValues(source["injection"], Finding);
	        this.approval = this.convertValues(source["approval"], Approval);
	        this.approver = source["approver"];
	        this.comment = source["comment"];
	        this.failReason = source["failReason"];
	        this.externalId = source["externalId"];
	        this.idempotencyKey = source["idempotencyKey"];
	        this.template = this.convertValues(source["template"], ReplyTemplate);
	        this.updatedAt = source["updatedAt"];
	        this.allowed = source["allowed"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace fileimport {
	
	export class RowError {
	    line: number;
	    endLine: number;
	    reason: string;
	    code: string;
	    params: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new RowError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.line = source["line"];
	        this.endLine = source["endLine"];
	        this.reason = source["reason"];
	        this.code = source["code"];
	        this.params = source["params"];
	    }
	}

}

export namespace inbox {
	
	export class Account {
	    id: number;
	    channel: string;
	    name: string;
	    brand: string;
	    handle: string;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Account(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.channel = source["channel"];
	        this.name = source["name"];
	        this.brand = source["brand"];
	        this.handle = source["handle"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class Attachment {
	    name: string;
	    contentType: string;
	    size: number;
	    kind: string;
	    ref: string;
	    sha256: string;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.contentType = source["contentType"];
	        this.size = source["size"];
	        this.kind = source["kind"];
	        this.ref = source["ref"];
	        this.sha256 = source["sha256"];
	    }
	}
	export class Author {
	    id: number;
	    channel: string;
	    externalId: string;
	    handle: string;
	    displayName: string;
	    reach: number;
	    notes: string;
	    vip: boolean;
	    banned: boolean;
	    blockedUntil?: string | null;
	
	    static createFrom(source: any = {}) {
	        return new Author(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.channel = source["channel"];
	        this.externalId = source["externalId"];
	        this.handle = source["handle"];
	        this.displayName = source["displayName"];
	        this.reach = source["reach"];
	        this.notes = source["notes"];
	        this.vip = source["vip"];
	        this.banned = source["banned"];
	        this.blockedUntil = source["blockedUntil"];
	    }
	}
	export class Conversation {
	    id: number;
	    accountId: number;
	    channel: string;
	    threadKey: string;
	    kind: string;
	    subject: string;
	    status: string;
	    assignee: string;
	    priority: number;
	    tags: string[];
	    author: Author;
	    snippet: string;
	    snippetAttachments: Attachment[];
	    sentiment: string;
	    negativeCount: number;
	    messageCount: number;
	    firstMessageAt: string;
	    lastMessageAt: string;
	    slaDueAt?: string | null;
	    suspiciousDate: boolean;
	    slaState: string;
	    slaWarnAt?: string | null;
	    slaPolicy: string;
	    failedSend: boolean;
	    snoozedUntil?: string | null;
	
	    static createFrom(source: any = {}) {
	        return new Conversation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.accountId = source["accountId"];
	        this.channel = source["channel"];
	        this.threadKey = source["threadKey"];
	        this.kind = source["kind"];
	        this.subject = source["subject"];
	        this.status = source["status"];
	        this.assignee = source["assignee"];
	        this.priority = source["priority"];
	        this.tags = source["tags"];
	        this.author = this.convertValues(source["author"], Author);
	        this.snippet = source["snippet"];
	        this.snippetAttachments = this.convertValues(source["snippetAttachments"], Attachment);
	        this.sentiment = source["sentiment"];
	        this.negativeCount = source["negativeCount"];
	        this.messageCount = source["messageCount"];
	        this.firstMessageAt = source["firstMessageAt"];
	        this.lastMessageAt = source["lastMessageAt"];
	        this.slaDueAt = source["slaDueAt"];
	        this.suspiciousDate = source["suspiciousDate"];
	        this.slaState = source["slaState"];
	        this.slaWarnAt = source["slaWarnAt"];
	        this.slaPolicy = source["slaPolicy"];
	        this.failedSend = source["failedSend"];
	        this.snoozedUntil = source["snoozedUntil"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Message {
	    id: number;
	    conversationId: number;
	    accountId: number;
	    externalId: string;
	    direction: string;
	    kind: string;
	    author: Author;
	    subject: string;
	    text: string;
	    html: string;
	    sentAt: string;
	    claimedAt?: string | null;
	    sentiment: string;
	    sentimentScore: number;
	    flags: string[];
	    attachments: Attachment[];
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.conversationId = source["conversationId"];
	        this.accountId = source["accountId"];
	        this.externalId = source["externalId"];
	        this.direction = source["direction"];
	        this.kind = source["kind"];
	        this.author = this.convertValues(source["author"], Author);
	        this.subject = source["subject"];
	        this.text = source["text"];
	        this.html = source["html"];
	        this.sentAt = source["sentAt"];
	        this.claimedAt = source["claimedAt"];
	        this.sentiment = source["sentiment"];
	        this.sentimentScore = source["sentimentScore"];
	        this.flags = source["flags"];
	        this.attachments = this.convertValues(source["attachments"], Attachment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace ingest {
	
	export class Event {
	    account: string;
	    fetched: number;
	    stored: number;
	    more: boolean;
	    total: number;
	    error: string;
	    retryInMs: number;
	    completed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Event(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = source["account"];
	        this.fetched = source["fetched"];
	        this.stored = source["stored"];
	        this.more = source["more"];
	        this.total = source["total"];
	        this.error = source["error"];
	        this.retryInMs = source["retryInMs"];
	        this.completed = source["completed"];
	    }
	}

}

export namespace main {
	
	export class AppInfo {
	    version: string;
	    commit: string;
	    date: string;
	    dbPath: string;
	    me: string;
	    role: string;
	    demo: boolean;
	    team: boolean;
	    actions: string[];
	    loops: workspace.LoopHealth[];
	
	    static createFrom(source: any = {}) {
	        return new AppInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.commit = source["commit"];
	        this.date = source["date"];
	        this.dbPath = source["dbPath"];
	        this.me = source["me"];
	        this.role = source["role"];
	        this.demo = source["demo"];
	        this.team = source["team"];
	        this.actions = source["actions"];
	        this.loops = this.convertValues(source["loops"], workspace.LoopHealth);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AttachmentSave {
	    dialog: boolean;
	    path: string;
	    name: string;
	    contentType: string;
	    size: number;
	    data: string;
	
	    static createFrom(source: any = {}) {
	        return new AttachmentSave(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dialog = source["dialog"];
	        this.path = source["path"];
	        this.name = source["name"];
	        this.contentType = source["contentType"];
	        this.size = source["size"];
	        this.data = source["data"];
	    }
	}
	export class CSVSave {
	    dialog: boolean;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new CSVSave(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dialog = source["dialog"];
	        this.path = source["path"];
	    }
	}
	export class ComposeDelta {
	    conversationId: number;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new ComposeDelta(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversationId = source["conversationId"];
	        this.text = source["text"];
	    }
	}
	export class ComposeStep {
	    replyId: string;
	    action: string;
	    text: string;
	    comment: string;
	    checklist: string[];
	    supersede: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ComposeStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.replyId = source["replyId"];
	        this.action = source["action"];
	        this.text = source["text"];
	        this.comment = source["comment"];
	        this.checklist = source["checklist"];
	        this.supersede = source["supersede"];
	    }
	}
	export class ConversationQuery {
	    status: string;
	    channel: string;
	    accountId: number;
	    tag: string;
	    sentiment: string;
	    assignee: string;
	    unassigned: boolean;
	    mine: boolean;
	    order: string;
	    cursor: string;
	    limit: number;
	    snoozed: boolean;
	    failedSend?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConversationQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.channel = source["channel"];
	        this.accountId = source["accountId"];
	        this.tag = source["tag"];
	        this.sentiment = source["sentiment"];
	        this.assignee = source["assignee"];
	        this.unassigned = source["unassigned"];
	        this.mine = source["mine"];
	        this.order = source["order"];
	        this.cursor = source["cursor"];
	        this.limit = source["limit"];
	        this.snoozed = source["snoozed"];
	        this.failedSend = source["failedSend"];
	    }
	}
	export class NoteMention {
	    member: string;
	    conversationId: number;
	    noteId: number;
	    author: string;
	    excerpt: string;
	
	    static createFrom(source: any = {}) {
	        return new NoteMention(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.member = source["member"];
	        this.conversationId = source["conversationId"];
	        this.noteId = source["noteId"];
	        this.author = source["author"];
	        this.excerpt = source["excerpt"];
	    }
	}
	export class ImportProgress {
	    file: string;
	    rows: number;
	    done: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ImportProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.rows = source["rows"];
	        this.done = source["done"];
	    }
	}
	export class ReplyChange {
	    conversationId: number;
	    replyId: string;
	    state: string;
	
	    static createFrom(source: any = {}) {
	        return new ReplyChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversationId = source["conversationId"];
	        this.replyId = source["replyId"];
	        this.state = source["state"];
	    }
	}
	export class ReplyDelivery {
	    conversationId: number;
	    replyId: string;
	    state: string;
	
	    static createFrom(source: any = {}) {
	        return new ReplyDelivery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversationId = source["conversationId"];
	        this.replyId = source["replyId"];
	        this.state = source["state"];
	    }
	}
	export class EventPayloads {
	    syncProgress: ingest.Event;
	    crisisAlert: crisis.Alert;
	    crisisEvent: store.CrisisEvent;
	    composeDelta: ComposeDelta;
	    replyDelivery: ReplyDelivery;
	    replyChange: ReplyChange;
	    approvalRequest: drafts.Reply;
	    importProgress: ImportProgress;
	    noteMention: NoteMention;
	    presenceChange: store.ConversationViewers;
	
	    static createFrom(source: any = {}) {
	        return new EventPayloads(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.syncProgress = this.convertValues(source["syncProgress"], ingest.Event);
	        this.crisisAlert = this.convertValues(source["crisisAlert"], crisis.Alert);
	        this.crisisEvent = this.convertValues(source["crisisEvent"], store.CrisisEvent);
	        this.composeDelta = this.convertValues(source["composeDelta"], ComposeDelta);
	        this.replyDelivery = this.convertValues(source["replyDelivery"], ReplyDelivery);
	        this.replyChange = this.convertValues(source["replyChange"], ReplyChange);
	        this.approvalRequest = this.convertValues(source["approvalRequest"], drafts.Reply);
	        this.importProgress = this.convertValues(source["importProgress"], ImportProgress);
	        this.noteMention = this.convertValues(source["noteMention"], NoteMention);
	        this.presenceChange = this.convertValues(source["presenceChange"], store.ConversationViewers);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FilePick {
	    dialog: boolean;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new FilePick(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dialog = source["dialog"];
	        this.path = source["path"];
	    }
	}
	export class ImportColumns {
	    id: string;
	    text: string;
	    time: string;
	    author: string;
	    thread: string;
	    direction: string;
	    account: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportColumns(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.text = source["text"];
	        this.time = source["time"];
	        this.author = source["author"];
	        this.thread = source["thread"];
	        this.direction = source["direction"];
	        this.account = source["account"];
	    }
	}
	
	export class ImportRequest {
	    path: string;
	    name: string;
	    content: string;
	    format: string;
	    historical: boolean;
	    columns: ImportColumns;
	
	    static createFrom(source: any = {}) {
	        return new ImportRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.content = source["content"];
	        this.format = source["format"];
	        this.historical = source["historical"];
	        this.columns = this.convertValues(source["columns"], ImportColumns);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class InviteCode {
	    id: number;
	    code: string;
	    link: string;
	    expiresAt: string;
	
	    static createFrom(source: any = {}) {
	        return new InviteCode(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.code = source["code"];
	        this.link = source["link"];
	        this.expiresAt = source["expiresAt"];
	    }
	}
	export class InviteInfo {
	    id: number;
	    role: string;
	    name: string;
	    createdBy: string;
	    createdAt: string;
	    expiresAt: string;
	    usedBy: string;
	    usedAt?: string | null;
	    state: string;
	
	    static createFrom(source: any = {}) {
	        return new InviteInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.role = source["role"];
	        this.name = source["name"];
	        this.createdBy = source["createdBy"];
	        this.createdAt = source["createdAt"];
	        this.expiresAt = source["expiresAt"];
	        this.usedBy = source["usedBy"];
	        this.usedAt = source["usedAt"];
	        this.state = source["state"];
	    }
	}
	export class JoinRequest {
	    server: string;
	    fingerprint: string;
	    code: string;
	    name: string;
	    password: string;
	    token: string;
	
	    static createFrom(source: any = {}) {
	        return new JoinRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.fingerprint = source["fingerprint"];
	        this.code = source["code"];
	        this.name = source["name"];
	        this.password = source["password"];
	        this.token = source["token"];
	    }
	}
	export class JoinState {
	    mode: string;
	    offer: boolean;
	    canJoin: boolean;
	    server: string;
	    fingerprint: string;
	    member: string;
	    role: string;
	    url: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new JoinState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.offer = source["offer"];
	        this.canJoin = source["canJoin"];
	        this.server = source["server"];
	        this.fingerprint = source["fingerprint"];
	        this.member = source["member"];
	        this.role = source["role"];
	        this.url = source["url"];
	        this.error = source["error"];
	    }
	}
	export class ModelRetry {
	    maxAttempts: number;
	    baseDelayMs: number;
	    maxDelayMs: number;
	    maxRetryAfterMs: number;
	    jitter: number;
	
	    static createFrom(source: any = {}) {
	        return new ModelRetry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.maxAttempts = source["maxAttempts"];
	        this.baseDelayMs = source["baseDelayMs"];
	        this.maxDelayMs = source["maxDelayMs"];
	        this.maxRetryAfterMs = source["maxRetryAfterMs"];
	        this.jitter = source["jitter"];
	    }
	}
	export class ModelSettings {
	    provider: string;
	    baseUrl: string;
	    model: string;
	    apiVersion: string;
	    timeoutMs: number;
	    temperature: number;
	    maxTokens: number;
	    noStreamUsage: boolean;
	    retry: ModelRetry;
	    classify: drafts.ClassifySettings;
	
	    static createFrom(source: any = {}) {
	        return new ModelSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.provider = source["provider"];
	        this.baseUrl = source["baseUrl"];
	        this.model = source["model"];
	        this.apiVersion = source["apiVersion"];
	        this.timeoutMs = source["timeoutMs"];
	        this.temperature = source["temperature"];
	        this.maxTokens = source["maxTokens"];
	        this.noStreamUsage = source["noStreamUsage"];
	        this.retry = this.convertValues(source["retry"], ModelRetry);
	        this.classify = this.convertValues(source["classify"], drafts.ClassifySettings);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LLMSettings {
	    settings: ModelSettings;
	    hasApiKey: boolean;
	    apiKey: string;
	
	    static createFrom(source: any = {}) {
	        return new LLMSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], ModelSettings);
	        this.hasApiKey = source["hasApiKey"];
	        this.apiKey = source["apiKey"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MemberInfo {
	    name: string;
	    role: string;
	    disabled: boolean;
	    passwordSet: boolean;
	    lastSeen?: string | null;
	    me: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MemberInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.role = source["role"];
	        this.disabled = source["disabled"];
	        this.passwordSet = source["passwordSet"];
	        this.lastSeen = source["lastSeen"];
	        this.me = source["me"];
	    }
	}
	
	
	
	export class Notification {
	    tag: string;
	    title: string;
	    body: string;
	    urgent: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Notification(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tag = source["tag"];
	        this.title = source["title"];
	        this.body = source["body"];
	        this.urgent = source["urgent"];
	    }
	}
	
	
	export class SearchRequest {
	    text: string;
	    channel: string;
	    beforeId: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new SearchRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.channel = source["channel"];
	        this.beforeId = source["beforeId"];
	        this.limit = source["limit"];
	    }
	}
	export class SentimentModelView {
	    origin: string;
	    imported: boolean;
	    name: string;
	    licence: string;
	    commercial: boolean;
	    base: string;
	    // Go type: time
	    retrainedAt?: any;
	    sources: sentiment.Source[];
	    evaluation: sentiment.EvalFigure[];
	
	    static createFrom(source: any = {}) {
	        return new SentimentModelView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.origin = source["origin"];
	        this.imported = source["imported"];
	        this.name = source["name"];
	        this.licence = source["licence"];
	        this.commercial = source["commercial"];
	        this.base = source["base"];
	        this.retrainedAt = this.convertValues(source["retrainedAt"], null);
	        this.sources = this.convertValues(source["sources"], sentiment.Source);
	        this.evaluation = this.convertValues(source["evaluation"], sentiment.EvalFigure);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ThreadView {
	    conversation: inbox.Conversation;
	    messages: inbox.Message[];
	    notes: store.Note[];
	    snoozedUntil?: string | null;
	    deliveries: workspace.MessageDelivery[];
	
	    static createFrom(source: any = {}) {
	        return new ThreadView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversation = this.convertValues(source["conversation"], inbox.Conversation);
	        this.messages = this.convertValues(source["messages"], inbox.Message);
	        this.notes = this.convertValues(source["notes"], store.Note);
	        this.snoozedUntil = source["snoozedUntil"];
	        this.deliveries = this.convertValues(source["deliveries"], workspace.MessageDelivery);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TriageRequest {
	    action: string;
	    assignee: string;
	    tag: string;
	    until: string;
	
	    static createFrom(source: any = {}) {
	        return new TriageRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.assignee = source["assignee"];
	        this.tag = source["tag"];
	        this.until = source["until"];
	    }
	}

}

export namespace moderation {
	
	export class Entry {
	    id: number;
	    authorId: number;
	    accountId: number;
	    kind: string;
	    reason: string;
	    until?: string | null;
	    by: string;
	    at: string;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.authorId = source["authorId"];
	        this.accountId = source["accountId"];
	        this.kind = source["kind"];
	        this.reason = source["reason"];
	        this.until = source["until"];
	        this.by = source["by"];
	        this.at = source["at"];
	    }
	}
	export class Standing {
	    state: string;
	    warnings: number;
	    blocks: number;
	    until?: string | null;
	
	    static createFrom(source: any = {}) {
	        return new Standing(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.warnings = source["warnings"];
	        this.blocks = source["blocks"];
	        this.until = source["until"];
	    }
	}
	export class Step {
	    kind: string;
	    hours: number;
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.hours = source["hours"];
	    }
	}
	export class Warning {
	    critical: boolean;
	    reasons: string[];
	
	    static createFrom(source: any = {}) {
	        return new Warning(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.critical = source["critical"];
	        this.reasons = source["reasons"];
	    }
	}

}

export namespace registry {
	
	export class Secret {
	    name: string;
	    label: string;
	    required: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Secret(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.required = source["required"];
	    }
	}
	export class ChannelInfo {
	    channel: string;
	    secrets: Secret[];
	
	    static createFrom(source: any = {}) {
	        return new ChannelInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.channel = source["channel"];
	        this.secrets = this.convertValues(source["secrets"], Secret);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace sentiment {
	
	export class EvalFigure {
	    set: string;
	    n: number;
	    accuracy: number;
	    macroF1NegVsNot: number;
	    macroF1: number;
	
	    static createFrom(source: any = {}) {
	        return new EvalFigure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.set = source["set"];
	        this.n = source["n"];
	        this.accuracy = source["accuracy"];
	        this.macroF1NegVsNot = source["macroF1NegVsNot"];
	        this.macroF1 = source["macroF1"];
	    }
	}
	export class Source {
	    name: string;
	    licence: string;
	    url: string;
	    used: string;
	    commercial: boolean;
	    examples: number;
	
	    static createFrom(source: any = {}) {
	        return new Source(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.licence = source["licence"];
	        this.url = source["url"];
	        this.used = source["used"];
	        this.commercial = source["commercial"];
	        this.examples = source["examples"];
	    }
	}

}

export namespace store {
	
	export class AuthorConversation {
	    id: number;
	    accountId: number;
	    account: string;
	    brand: string;
	    kind: string;
	    subject: string;
	    snippet: string;
	    status: string;
	    sentiment: string;
	    lastMessageAt: string;
	    messageCount: number;
	
	    static createFrom(source: any = {}) {
	        return new AuthorConversation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.accountId = source["accountId"];
	        this.account = source["account"];
	        this.brand = source["brand"];
	        this.kind = source["kind"];
	        this.subject = source["subject"];
	        this.snippet = source["snippet"];
	        this.status = source["status"];
	        this.sentiment = source["sentiment"];
	        this.lastMessageAt = source["lastMessageAt"];
	        this.messageCount = source["messageCount"];
	    }
	}
	export class AuthorTotals {
	    conversations: number;
	    messages: number;
	    negative: number;
	    negativeShare: number;
	    firstSeen?: string | null;
	    lastSeen?: string | null;
	
	    static createFrom(source: any = {}) {
	        return new AuthorTotals(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversations = source["conversations"];
	        this.messages = source["messages"];
	        this.negative = source["negative"];
	        this.negativeShare = source["negativeShare"];
	        this.firstSeen = source["firstSeen"];
	        this.lastSeen = source["lastSeen"];
	    }
	}
	export class AuthorProfile {
	    author: inbox.Author;
	    conversations: AuthorConversation[];
	    totals: AuthorTotals;
	    record: moderation.Entry[];
	    standing: moderation.Standing;
	
	    static createFrom(source: any = {}) {
	        return new AuthorProfile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.author = this.convertValues(source["author"], inbox.Author);
	        this.conversations = this.convertValues(source["conversations"], AuthorConversation);
	        this.totals = this.convertValues(source["totals"], AuthorTotals);
	        this.record = this.convertValues(source["record"], moderation.Entry);
	        this.standing = this.convertValues(source["standing"], moderation.Standing);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuthorReach {
	    source: string;
	    author: string;
	    authorUrl: string;
	    mentions: number;
	    reach: number;
	
	    static createFrom(source: any = {}) {
	        return new AuthorReach(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = source["source"];
	        this.author = source["author"];
	        this.authorUrl = source["authorUrl"];
	        this.mentions = source["mentions"];
	        this.reach = source["reach"];
	    }
	}
	
	export class ChannelStats {
	    channel: string;
	    open: number;
	    pending: number;
	    closed: number;
	    messages: number;
	
	    static createFrom(source: any = {}) {
	        return new ChannelStats(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.channel = source["channel"];
	        this.open = source["open"];
	        this.pending = source["pending"];
	        this.closed = source["closed"];
	        this.messages = source["messages"];
	    }
	}
	export class ConversationDepth {
	    channel: string;
	    conversations: number;
	    messages: number;
	    replies: number;
	    participants: number;
	    maxMessages: number;
	    maxParticipants: number;
	    byMessages: number[];
	
	    static createFrom(source: any = {}) {
	        return new ConversationDepth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.channel = source["channel"];
	        this.conversations = source["conversations"];
	        this.messages = source["messages"];
	        this.replies = source["replies"];
	        this.participants = source["participants"];
	        this.maxMessages = source["maxMessages"];
	        this.maxParticipants = source["maxParticipants"];
	        this.byMessages = source["byMessages"];
	    }
	}
	export class Viewer {
	    name: string;
	    typing: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Viewer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.typing = source["typing"];
	    }
	}
	export class ConversationViewers {
	    conversationId: number;
	    viewers: Viewer[];
	
	    static createFrom(source: any = {}) {
	        return new ConversationViewers(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversationId = source["conversationId"];
	        this.viewers = this.convertValues(source["viewers"], Viewer);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CrisisEvent {
	    id: number;
	    accountId: number;
	    at: string;
	    kind: string;
	    text: string;
	    ref: string;
	
	    static createFrom(source: any = {}) {
	        return new CrisisEvent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.accountId = source["accountId"];
	        this.at = source["at"];
	        this.kind = source["kind"];
	        this.text = source["text"];
	        this.ref = source["ref"];
	    }
	}
	export class ListeningFilter {
	    topicId: number;
	    source: string;
	    sentiment: string;
	    lang: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new ListeningFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.topicId = source["topicId"];
	        this.source = source["source"];
	        this.sentiment = source["sentiment"];
	        this.lang = source["lang"];
	        this.limit = source["limit"];
	    }
	}
	export class MentionSource {
	    source: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new MentionSource(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = source["source"];
	        this.url = source["url"];
	    }
	}
	export class ListeningMention {
	    id: number;
	    source: string;
	    externalId: string;
	    url: string;
	    author: string;
	    authorId: string;
	    authorUrl: string;
	    reach: number;
	    title: string;
	    text: string;
	    lang: string;
	    published: string;
	    replies: number;
	    reactions: number;
	    replyChannel: string;
	    replyThread: string;
	    replyTo: string;
	    sentiment: string;
	    score: number;
	    corrected: boolean;
	    conversationId: number;
	    foundAt: string;
	    sources: MentionSource[];
	    topicIds: number[];
	
	    static createFrom(source: any = {}) {
	        return new ListeningMention(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.source = source["source"];
	        this.externalId = source["externalId"];
	        this.url = source["url"];
	        this.author = source["author"];
	        this.authorId = source["authorId"];
	        this.authorUrl = source["authorUrl"];
	        this.reach = source["reach"];
	        this.title = source["title"];
	        this.text = source["text"];
	        this.lang = source["lang"];
	        this.published = source["published"];
	        this.replies = source["replies"];
	        this.reactions = source["reactions"];
	        this.replyChannel = source["replyChannel"];
	        this.replyThread = source["replyThread"];
	        this.replyTo = source["replyTo"];
	        this.sentiment = source["sentiment"];
	        this.score = source["score"];
	        this.corrected = source["corrected"];
	        this.conversationId = source["conversationId"];
	        this.foundAt = source["foundAt"];
	        this.sources = this.convertValues(source["sources"], MentionSource);
	        this.topicIds = source["topicIds"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ListeningPage {
	    mentions: ListeningMention[];
	    next: string;
	
	    static createFrom(source: any = {}) {
	        return new ListeningPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mentions = this.convertValues(source["mentions"], ListeningMention);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ListeningSource {
	    id: number;
	    kind: string;
	    name: string;
	    settings: string;
	    enabled: boolean;
	    remaining: number;
	    resetAt?: string | null;
	    nextPoll?: string | null;
	    polledAt?: string | null;
	    errorCode: string;
	    errorParams: Record<string, string>;
	    errorDetail: string;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new ListeningSource(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.settings = source["settings"];
	        this.enabled = source["enabled"];
	        this.remaining = source["remaining"];
	        this.resetAt = source["resetAt"];
	        this.nextPoll = source["nextPoll"];
	        this.polledAt = source["polledAt"];
	        this.errorCode = source["errorCode"];
	        this.errorParams = source["errorParams"];
	        this.errorDetail = source["errorDetail"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class ListeningTopic {
	    id: number;
	    name: string;
	    query: string;
	    kind: string;
	    enabled: boolean;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new ListeningTopic(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.query = source["query"];
	        this.kind = source["kind"];
	        this.enabled = source["enabled"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class Mention {
	    noteId: number;
	    conversationId: number;
	    customer: string;
	    subject: string;
	    author: string;
	    body: string;
	    createdAt: string;
	    readAt?: string | null;
	
	    static createFrom(source: any = {}) {
	        return new Mention(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.noteId = source["noteId"];
	        this.conversationId = source["conversationId"];
	        this.customer = source["customer"];
	        this.subject = source["subject"];
	        this.author = source["author"];
	        this.body = source["body"];
	        this.createdAt = source["createdAt"];
	        this.readAt = source["readAt"];
	    }
	}
	export class MentionEngagement {
	    reporting: number;
	    reactions: number;
	    replies: number;
	
	    static createFrom(source: any = {}) {
	        return new MentionEngagement(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.reporting = source["reporting"];
	        this.reactions = source["reactions"];
	        this.replies = source["replies"];
	    }
	}
	
	export class Note {
	    id: number;
	    conversationId: number;
	    author: string;
	    body: string;
	    createdAt: string;
	    mentions: string[];
	
	    static createFrom(source: any = {}) {
	        return new Note(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.conversationId = source["conversationId"];
	        this.author = source["author"];
	        this.body = source["body"];
	        this.createdAt = source["createdAt"];
	        this.mentions = source["mentions"];
	    }
	}
	export class Page {
	    items: inbox.Conversation[];
	    next: string;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], inbox.Conversation);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PendingApproval {
	    reply: drafts.Reply;
	    account: string;
	    brand: string;
	    channel: string;
	    subject: string;
	    author: string;
	    crisis: boolean;
	    priority: number;
	
	    static createFrom(source: any = {}) {
	        return new PendingApproval(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.reply = this.convertValues(source["reply"], drafts.Reply);
	        this.account = source["account"];
	        this.brand = source["brand"];
	        this.channel = source["channel"];
	        this.subject = source["subject"];
	        this.author = source["author"];
	        this.crisis = source["crisis"];
	        this.priority = source["priority"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ViewFilters {
	    base: string;
	    status: string;
	    channel: string;
	    sentiment: string;
	    order: string;
	
	    static createFrom(source: any = {}) {
	        return new ViewFilters(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.base = source["base"];
	        this.status = source["status"];
	        this.channel = source["channel"];
	        this.sentiment = source["sentiment"];
	        this.order = source["order"];
	    }
	}
	export class SavedView {
	    id: number;
	    name: string;
	    filters: ViewFilters;
	
	    static createFrom(source: any = {}) {
	        return new SavedView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.filters = this.convertValues(source["filters"], ViewFilters);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SearchHit {
	    messageId: number;
	    conversationId: number;
	    channel: string;
	    author: inbox.Author;
	    subject: string;
	    snippet: string;
	    sentAt: string;
	    sentiment: string;
	    suspiciousDate: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SearchHit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messageId = source["messageId"];
	        this.conversationId = source["conversationId"];
	        this.channel = source["channel"];
	        this.author = this.convertValues(source["author"], inbox.Author);
	        this.subject = source["subject"];
	        this.snippet = source["snippet"];
	        this.sentAt = source["sentAt"];
	        this.sentiment = source["sentiment"];
	        this.suspiciousDate = source["suspiciousDate"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SourceCount {
	    source: string;
	    mentions: number;
	
	    static createFrom(source: any = {}) {
	        return new SourceCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.source = source["source"];
	        this.mentions = source["mentions"];
	    }
	}
	export class Stats {
	    channels: ChannelStats[];
	    conversations: number;
	    messages: number;
	    snoozed: number;
	
	    static createFrom(source: any = {}) {
	        return new Stats(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.channels = this.convertValues(source["channels"], ChannelStats);
	        this.conversations = source["conversations"];
	        this.messages = source["messages"];
	        this.snoozed = source["snoozed"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TagCount {
	    tag: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new TagCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tag = source["tag"];
	        this.count = source["count"];
	    }
	}
	export class TopicVolume {
	    id: number;
	    name: string;
	    kind: string;
	    mentions: number;
	    negative: number;
	    neutral: number;
	    positive: number;
	
	    static createFrom(source: any = {}) {
	        return new TopicVolume(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.mentions = source["mentions"];
	        this.negative = source["negative"];
	        this.neutral = source["neutral"];
	        this.positive = source["positive"];
	    }
	}
	

}

export namespace teamclient {
	
	export class ProbeResult {
	    url: string;
	    fingerprint: string;
	    trusted: boolean;
	    subject: string;
	    // Go type: time
	    notAfter?: any;
	
	    static createFrom(source: any = {}) {
	        return new ProbeResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.fingerprint = source["fingerprint"];
	        this.trusted = source["trusted"];
	        this.subject = source["subject"];
	        this.notAfter = this.convertValues(source["notAfter"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace whatsapp {
	
	export class ButtonVar {
	    index: number;
	    type: string;
	    text: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new ButtonVar(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.type = source["type"];
	        this.text = source["text"];
	        this.url = source["url"];
	    }
	}

}

export namespace workspace {
	
	export class AccountInput {
	    name: string;
	    channel: string;
	    brand: string;
	    handle: string;
	    settings: string;
	    secrets: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new AccountInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.channel = source["channel"];
	        this.brand = source["brand"];
	        this.handle = source["handle"];
	        this.settings = source["settings"];
	        this.secrets = source["secrets"];
	    }
	}
	export class AccountLimits {
	    maxTextLength: number;
	    deleteWindowMs: number;
	    notes: channels.Note[];
	
	    static createFrom(source: any = {}) {
	        return new AccountLimits(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.maxTextLength = source["maxTextLength"];
	        this.deleteWindowMs = source["deleteWindowMs"];
	        this.notes = this.convertValues(source["notes"], channels.Note);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RetryStatus {
	    failures: number;
	    nextAttempt?: string | null;
	    lastError: string;
	
	    static createFrom(source: any = {}) {
	        return new RetryStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.failures = source["failures"];
	        this.nextAttempt = source["nextAttempt"];
	        this.lastError = source["lastError"];
	    }
	}
	export class SyncStatus {
	    cursor: string;
	    syncedAt?: string | null;
	    fetched: number;
	    skipped: number;
	    lastError: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.cursor = source["cursor"];
	        this.syncedAt = source["syncedAt"];
	        this.fetched = source["fetched"];
	        this.skipped = source["skipped"];
	        this.lastError = source["lastError"];
	    }
	}
	export class AccountStatus {
	    account: inbox.Account;
	    state: string;
	    settings: string;
	    sync: SyncStatus;
	    retry: RetryStatus;
	    secrets: registry.Secret[];
	    limits: AccountLimits;
	
	    static createFrom(source: any = {}) {
	        return new AccountStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.account = this.convertValues(source["account"], inbox.Account);
	        this.state = source["state"];
	        this.settings = source["settings"];
	        this.sync = this.convertValues(source["sync"], SyncStatus);
	        this.retry = this.convertValues(source["retry"], RetryStatus);
	        this.secrets = this.convertValues(source["secrets"], registry.Secret);
	        this.limits = this.convertValues(source["limits"], AccountLimits);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ResponseRow {
	    dimension: string;
	    key: string;
	    conversations: number;
	    firstResponseCount: number;
	    firstResponseP50: number;
	    firstResponseP90: number;
	    resolutionCount: number;
	    resolutionP50: number;
	    resolutionP90: number;
	    withSla: number;
	    withinSla: number;
	    withinPct: number;
	    breached: number;
	    warnings: number;
	
	    static createFrom(source: any = {}) {
	        return new ResponseRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dimension = source["dimension"];
	        this.key = source["key"];
	        this.conversations = source["conversations"];
	        this.firstResponseCount = source["firstResponseCount"];
	        this.firstResponseP50 = source["firstResponseP50"];
	        this.firstResponseP90 = source["firstResponseP90"];
	        this.resolutionCount = source["resolutionCount"];
	        this.resolutionP50 = source["resolutionP50"];
	        this.resolutionP90 = source["resolutionP90"];
	        this.withSla = source["withSla"];
	        this.withinSla = source["withinSla"];
	        this.withinPct = source["withinPct"];
	        this.breached = source["breached"];
	        this.warnings = source["warnings"];
	    }
	}
	export class DaySentiment {
	    day: string;
	    negative: number;
	    neutral: number;
	    positive: number;
	    unscored: number;
	
	    static createFrom(source: any = {}) {
	        return new DaySentiment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.day = source["day"];
	        this.negative = source["negative"];
	        this.neutral = source["neutral"];
	        this.positive = source["positive"];
	        this.unscored = source["unscored"];
	    }
	}
	export class Analytics {
	    from: string;
	    to: string;
	    timeZone: string;
	    heatmap: number[][];
	    heatmapMax: number;
	    inbound: number;
	    sentiment: DaySentiment[];
	    total: ResponseRow;
	    byChannel: ResponseRow[];
	    byAgent: ResponseRow[];
	    byWeek: ResponseRow[];
	    breaches: number;
	    topTags: store.TagCount[];
	    negativeTerms: crisis.TermScore[];
	    negativePhrases: string[];
	
	    static createFrom(source: any = {}) {
	        return new Analytics(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.timeZone = source["timeZone"];
	        this.heatmap = source["heatmap"];
	        this.heatmapMax = source["heatmapMax"];
	        this.inbound = source["inbound"];
	        this.sentiment = this.convertValues(source["sentiment"], DaySentiment);
	        this.total = this.convertValues(source["total"], ResponseRow);
	        this.byChannel = this.convertValues(source["byChannel"], ResponseRow);
	        this.byAgent = this.convertValues(source["byAgent"], ResponseRow);
	        this.byWeek = this.convertValues(source["byWeek"], ResponseRow);
	        this.breaches = source["breaches"];
	        this.topTags = this.convertValues(source["topTags"], store.TagCount);
	        this.negativeTerms = this.convertValues(source["negativeTerms"], crisis.TermScore);
	        this.negativePhrases = source["negativePhrases"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AnalyticsRequest {
	    days: number;
	    from: string;
	    to: string;
	    accountId: number;
	    timeZone: string;
	
	    static createFrom(source: any = {}) {
	        return new AnalyticsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.days = source["days"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.accountId = source["accountId"];
	        this.timeZone = source["timeZone"];
	    }
	}
	export class AssignmentSettings {
	    roundRobin: boolean;
	    cap: number;
	
	    static createFrom(source: any = {}) {
	        return new AssignmentSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.roundRobin = source["roundRobin"];
	        this.cap = source["cap"];
	    }
	}
	export class AuthorModeration {
	    authorId: number;
	    accountId: number;
	    kind: string;
	    reason: string;
	    hours: number;
	    confirm: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AuthorModeration(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.authorId = source["authorId"];
	        this.accountId = source["accountId"];
	        this.kind = source["kind"];
	        this.reason = source["reason"];
	        this.hours = source["hours"];
	        this.confirm = source["confirm"];
	    }
	}
	export class AuthorPanel {
	    profile: store.AuthorProfile;
	    next: moderation.Step;
	    influencer: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AuthorPanel(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.profile = this.convertValues(source["profile"], store.AuthorProfile);
	        this.next = this.convertValues(source["next"], moderation.Step);
	        this.influencer = source["influencer"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BurstGroup {
	    messages: number;
	    conversationIds: number[];
	    examples: string[];
	
	    static createFrom(source: any = {}) {
	        return new BurstGroup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messages = source["messages"];
	        this.conversationIds = source["conversationIds"];
	        this.examples = source["examples"];
	    }
	}
	export class ClassifyResult {
	    classified: number;
	    relabelled: number;
	    skipped: number;
	    batches: number;
	
	    static createFrom(source: any = {}) {
	        return new ClassifyResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.classified = source["classified"];
	        this.relabelled = source["relabelled"];
	        this.skipped = source["skipped"];
	        this.batches = source["batches"];
	    }
	}
	export class ClassifyStatus {
	    settings: drafts.ClassifySettings;
	    available: boolean;
	    running: boolean;
	    lastRun?: string | null;
	    last: ClassifyResult;
	    lastError: string;
	
	    static createFrom(source: any = {}) {
	        return new ClassifyStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], drafts.ClassifySettings);
	        this.available = source["available"];
	        this.running = source["running"];
	        this.lastRun = source["lastRun"];
	        this.last = this.convertValues(source["last"], ClassifyResult);
	        this.lastError = source["lastError"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DataSpan {
	    first: string;
	    last: string;
	
	    static createFrom(source: any = {}) {
	        return new DataSpan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.first = source["first"];
	        this.last = source["last"];
	    }
	}
	
	export class Engagement {
	    from: string;
	    to: string;
	    channels: store.ConversationDepth[];
	
	    static createFrom(source: any = {}) {
	        return new Engagement(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.channels = this.convertValues(source["channels"], store.ConversationDepth);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ForwardConfig {
	    smtpHost: string;
	    smtpPort: number;
	    smtpTls: string;
	    smtpUser: string;
	    from: string;
	    botToken?: string;
	    smtpPassword?: string;
	    hasBotToken: boolean;
	    hasPassword: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ForwardConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.smtpHost = source["smtpHost"];
	        this.smtpPort = source["smtpPort"];
	        this.smtpTls = source["smtpTls"];
	        this.smtpUser = source["smtpUser"];
	        this.from = source["from"];
	        this.botToken = source["botToken"];
	        this.smtpPassword = source["smtpPassword"];
	        this.hasBotToken = source["hasBotToken"];
	        this.hasPassword = source["hasPassword"];
	    }
	}
	export class ForwardRule {
	    topicId: number;
	    what: string;
	    chatIds: number[];
	    emails: string[];
	    digestHour: number;
	    timeZone: string;
	    quietFrom: string;
	    quietTo: string;
	    lang: string;
	    errorCode: string;
	    errorParams: Record<string, string>;
	    errorDetail: string;
	
	    static createFrom(source: any = {}) {
	        return new ForwardRule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.topicId = source["topicId"];
	        this.what = source["what"];
	        this.chatIds = source["chatIds"];
	        this.emails = source["emails"];
	        this.digestHour = source["digestHour"];
	        this.timeZone = source["timeZone"];
	        this.quietFrom = source["quietFrom"];
	        this.quietTo = source["quietTo"];
	        this.lang = source["lang"];
	        this.errorCode = source["errorCode"];
	        this.errorParams = source["errorParams"];
	        this.errorDetail = source["errorDetail"];
	    }
	}
	export class ImportResult {
	    file: string;
	    rows: number;
	    imported: number;
	    duplicates: number;
	    conversations: number;
	    skipped: number;
	    skippedRows: fileimport.RowError[];
	    warned: number;
	    warnings: fileimport.RowError[];
	    historical: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ImportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.rows = source["rows"];
	        this.imported = source["imported"];
	        this.duplicates = source["duplicates"];
	        this.conversations = source["conversations"];
	        this.skipped = source["skipped"];
	        this.skippedRows = this.convertValues(source["skippedRows"], fileimport.RowError);
	        this.warned = source["warned"];
	        this.warnings = this.convertValues(source["warnings"], fileimport.RowError);
	        this.historical = source["historical"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TopicShare {
	    topic: store.TopicVolume;
	    share: number;
	    selected: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TopicShare(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.topic = this.convertValues(source["topic"], store.TopicVolume);
	        this.share = source["share"];
	        this.selected = source["selected"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ListeningAnalytics {
	    from: string;
	    to: string;
	    timeZone: string;
	    mentions: number;
	    days: DaySentiment[];
	    topics: TopicShare[];
	    brandShare: number;
	    sources: store.SourceCount[];
	    authors: store.AuthorReach[];
	    engagement: store.MentionEngagement;
	    terms: crisis.TermScore[];
	    phrases: string[];
	
	    static createFrom(source: any = {}) {
	        return new ListeningAnalytics(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.timeZone = source["timeZone"];
	        this.mentions = source["mentions"];
	        this.days = this.convertValues(source["days"], DaySentiment);
	        this.topics = this.convertValues(source["topics"], TopicShare);
	        this.brandShare = source["brandShare"];
	        this.sources = this.convertValues(source["sources"], store.SourceCount);
	        this.authors = this.convertValues(source["authors"], store.AuthorReach);
	        this.engagement = this.convertValues(source["engagement"], store.MentionEngagement);
	        this.terms = this.convertValues(source["terms"], crisis.TermScore);
	        this.phrases = source["phrases"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ListeningAnalyticsRequest {
	    days: number;
	    from: string;
	    to: string;
	    timeZone: string;
	    topicIds: number[];
	
	    static createFrom(source: any = {}) {
	        return new ListeningAnalyticsRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.days = source["days"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.timeZone = source["timeZone"];
	        this.topicIds = source["topicIds"];
	    }
	}
	export class ListeningSettingField {
	    name: string;
	    type: string;
	    optional: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ListeningSettingField(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.optional = source["optional"];
	    }
	}
	export class ListeningKindInfo {
	    kind: string;
	    fields: ListeningSettingField[];
	    secrets: channels.Secret[];
	
	    static createFrom(source: any = {}) {
	        return new ListeningKindInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.fields = this.convertValues(source["fields"], ListeningSettingField);
	        this.secrets = this.convertValues(source["secrets"], channels.Secret);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ListeningSourceInput {
	    id: number;
	    kind: string;
	    name: string;
	    settings: string;
	    enabled: boolean;
	    secrets: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new ListeningSourceInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.settings = source["settings"];
	        this.enabled = source["enabled"];
	        this.secrets = source["secrets"];
	    }
	}
	export class LoopHealth {
	    loop: string;
	    state: string;
	    lastError: string;
	    failedAt: string;
	    restarts: number;
	    restartAt?: string | null;
	    recovered: boolean;
	
	    static createFrom(source: any = {}) {
	        return new LoopHealth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.loop = source["loop"];
	        this.state = source["state"];
	        this.lastError = source["lastError"];
	        this.failedAt = source["failedAt"];
	        this.restarts = source["restarts"];
	        this.restartAt = source["restartAt"];
	        this.recovered = source["recovered"];
	    }
	}
	export class MessageDelivery {
	    externalId: string;
	    replyId: string;
	    status: string;
	    at: string;
	    errorCode: number;
	    error: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new MessageDelivery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.externalId = source["externalId"];
	        this.replyId = source["replyId"];
	        this.status = source["status"];
	        this.at = source["at"];
	        this.errorCode = source["errorCode"];
	        this.error = source["error"];
	        this.reason = source["reason"];
	    }
	}
	export class MessageTemplate {
	    name: string;
	    language: string;
	    category: string;
	    header: string;
	    body: string;
	    footer: string;
	    headerVars: number;
	    bodyVars: number;
	    buttons: whatsapp.ButtonVar[];
	    mediaFormat: string;
	
	    static createFrom(source: any = {}) {
	        return new MessageTemplate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.language = source["language"];
	        this.category = source["category"];
	        this.header = source["header"];
	        this.body = source["body"];
	        this.footer = source["footer"];
	        this.headerVars = source["headerVars"];
	        this.bodyVars = source["bodyVars"];
	        this.buttons = this.convertValues(source["buttons"], whatsapp.ButtonVar);
	        this.mediaFormat = source["mediaFormat"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ModerationOutcome {
	    applied: boolean;
	    warning: moderation.Warning;
	    panel: AuthorPanel;
	
	    static createFrom(source: any = {}) {
	        return new ModerationOutcome(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.applied = source["applied"];
	        this.warning = this.convertValues(source["warning"], moderation.Warning);
	        this.panel = this.convertValues(source["panel"], AuthorPanel);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ModerationWarning {
	    critical: boolean;
	    reasons: string[];
	
	    static createFrom(source: any = {}) {
	        return new ModerationWarning(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.critical = source["critical"];
	        this.reasons = source["reasons"];
	    }
	}
	export class QueryCheck {
	    ok: boolean;
	    code: string;
	    pos: number;
	    end: number;
	    param: string;
	    terms: string[];
	
	    static createFrom(source: any = {}) {
	        return new QueryCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.code = source["code"];
	        this.pos = source["pos"];
	        this.end = source["end"];
	        this.param = source["param"];
	        this.terms = source["terms"];
	    }
	}
	
	
	
	export class TimelineEntry {
	    at: string;
	    kind: string;
	    text: string;
	    ref: string;
	    inbound: number;
	    negative: number;
	
	    static createFrom(source: any = {}) {
	        return new TimelineEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.kind = source["kind"];
	        this.text = source["text"];
	        this.ref = source["ref"];
	        this.inbound = source["inbound"];
	        this.negative = source["negative"];
	    }
	}
	
	export class TriageResult {
	    undoId: number;
	    items: inbox.Conversation[];
	
	    static createFrom(source: any = {}) {
	        return new TriageResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.undoId = source["undoId"];
	        this.items = this.convertValues(source["items"], inbox.Conversation);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

