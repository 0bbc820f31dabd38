package io.stormwatch.alerting;

import java.io.StringWriter;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** A {@link CapAlert} as CAP 1.2 XML, in the namespace and element order of the OASIS schema. */
public final class CapXml {

    public static final String NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2";
    public static final String MEDIA_TYPE = "application/cap+xml";

    private CapXml() {
    }

    public static String write(CapAlert alert) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("alert");
            xml.writeDefaultNamespace(NAMESPACE);
            element(xml, "identifier", alert.identifier());
            element(xml, "sender", alert.sender());
            element(xml, "sent", alert.sent());
            element(xml, "status", alert.status());
            element(xml, "msgType", alert.msgType());
            element(xml, "scope", alert.scope());
            element(xml, "references", alert.references());
            for (CapAlert.Info info : alert.info()) {
                xml.writeStartElement("info");
                element(xml, "language", info.language());
                for (String category : info.category()) {
                    element(xml, "category", category);
                }
                element(xml, "event", info.event());
                for (String response : info.responseType() == null ? List.<String>of() : info.responseType()) {
                    element(xml, "responseType", response);
                }
                element(xml, "urgency", info.urgency());
                element(xml, "severity", info.severity());
                element(xml, "certainty", info.certainty());
                element(xml, "onset", info.onset());
                element(xml, "expires", info.expires());
                element(xml, "senderName", info.senderName());
                element(xml, "headline", info.headline());
                element(xml, "description", info.description());
                for (CapAlert.Parameter parameter : info.parameter()) {
                    xml.writeStartElement("parameter");
                    element(xml, "valueName", parameter.valueName());
                    element(xml, "value", parameter.value());
                    xml.writeEndElement();
                }
                for (CapAlert.Area area : info.area()) {
                    xml.writeStartElement("area");
                    element(xml, "areaDesc", area.areaDesc());
                    for (String circle : area.circle()) {
                        element(xml, "circle", circle);
                    }
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("CAP alert " + alert.identifier() + " cannot be written as XML", e);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }
}
