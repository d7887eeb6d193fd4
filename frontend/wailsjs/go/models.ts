export namespace inbox {
	
	export class Account {
	    id: number;
	    channel: string;
	    name: string;
	    brand: string;
	    handle: string;
	    // Go type: time
	    createdAt: any;
	
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
	        this.createdAt = this.convertValues(source["createdAt"], null);
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
	export class Author {
	    id: number;
	    channel: string;
	    externalId: string;
	    handle: string;
	    displayName: string;
	    reach: number;
	    notes: string;
	
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
	    sentiment: string;
	    negativeCount: number;
	    messageCount: number;
	    // Go type: time
	    firstMessageAt: any;
	    // Go type: time
	    lastMessageAt: any;
	    // Go type: time
	    slaDueAt?: any;
	
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
	        this.sentiment = source["sentiment"];
	        this.negativeCount = source["negativeCount"];
	        this.messageCount = source["messageCount"];
	        this.firstMessageAt = this.convertValues(source["firstMessageAt"], null);
	        this.lastMessageAt = this.convertValues(source["lastMessageAt"], null);
	        this.slaDueAt = this.convertValues(source["slaDueAt"], null);
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
	    // Go type: time
	    sentAt: any;
	    sentiment: string;
	    sentimentScore: number;
	    flags: string[];
	
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
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.sentiment = source["sentiment"];
	        this.sentimentScore = source["sentimentScore"];
	        this.flags = source["flags"];
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

export namespace main {
	
	export class AppInfo {
	    version: string;
	    commit: string;
	    date: string;
	    dbPath: string;
	    me: string;
	    demo: boolean;
	
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
	        this.demo = source["demo"];
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
	export class ThreadView {
	    conversation: inbox.Conversation;
	    messages: inbox.Message[];
	
	    static createFrom(source: any = {}) {
	        return new ThreadView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.conversation = this.convertValues(source["conversation"], inbox.Conversation);
	        this.messages = this.convertValues(source["messages"], inbox.Message);
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

export namespace store {
	
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
	export class SearchHit {
	    messageId: number;
	    conversationId: number;
	    channel: string;
	    author: inbox.Author;
	    subject: string;
	    snippet: string;
	    // Go type: time
	    sentAt: any;
	    sentiment: string;
	
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
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.sentiment = source["sentiment"];
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
	export class Stats {
	    channels: ChannelStats[];
	    conversations: number;
	    messages: number;
	
	    static createFrom(source: any = {}) {
	        return new Stats(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.channels = this.convertValues(source["channels"], ChannelStats);
	        this.conversations = source["conversations"];
	        this.messages = source["messages"];
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

}

