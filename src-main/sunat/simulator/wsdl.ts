// A self-contained WSDL for the simulator's `?wsdl`, with SUNAT's namespace, operations and SOAPActions.
import { OPERATIONS, SUNAT_SERVICE_NS, type Operation } from '../client/soap';

const RESPONSES: Record<Operation, string> = {
  sendBill: '<xs:element name="applicationResponse" type="xs:base64Binary" minOccurs="0"/>',
  sendSummary: '<xs:element name="ticket" type="xs:string" minOccurs="0"/>',
  getStatus: '<xs:element name="status" type="tns:statusResponse" minOccurs="0"/>',
  getStatusCdr: '<xs:element name="statusCdr" type="tns:statusResponse" minOccurs="0"/>',
};

const INPUT_TYPES: Record<string, string> = { contentFile: 'xs:base64Binary', numeroComprobante: 'xs:int' };

export function simulatorWsdl(service: 'bill' | 'consult', location: string): string {
  const ops: Operation[] = service === 'bill' ? ['sendBill', 'sendSummary', 'getStatus'] : ['getStatusCdr', 'getStatus'];
  const inputFields = (op: Operation): readonly string[] =>
    service === 'consult' && op === 'getStatus' ? OPERATIONS.getStatusCdr : OPERATIONS[op];
  const response = (op: Operation): string =>
    service === 'consult' && op === 'getStatus' ? RESPONSES.getStatus : RESPONSES[op];
  const types = ops
    .map(
      (op) =>
        `<xs:element name="${op}"><xs:complexType><xs:sequence>` +
        inputFields(op).map((f) => `<xs:element name="${f}" type="${INPUT_TYPES[f] ?? 'xs:string'}" minOccurs="0"/>`).join('') +
        `</xs:sequence></xs:complexType></xs:element>` +
        `<xs:element name="${op}Response"><xs:complexType><xs:sequence>${response(op)}</xs:sequence></xs:complexType></xs:element>`,
    )
    .join('');
  const name = service === 'bill' ? 'billService' : 'billConsultService';
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${SUNAT_SERVICE_NS}" targetNamespace="${SUNAT_SERVICE_NS}" name="${name}">
<wsdl:types><xs:schema targetNamespace="${SUNAT_SERVICE_NS}">${types}
<xs:complexType name="statusResponse"><xs:sequence><xs:element name="content" type="xs:base64Binary" minOccurs="0"/><xs:element name="statusCode" type="xs:string" minOccurs="0"/><xs:element name="statusMessage" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>
</xs:schema></wsdl:types>
${ops.map((op) => `<wsdl:message name="${op}"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message><wsdl:message name="${op}Response"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`).join('\n')}
<wsdl:portType name="billService">${ops.map((op) => `<wsdl:operation name="${op}"><wsdl:input message="tns:${op}"/><wsdl:output message="tns:${op}Response"/></wsdl:operation>`).join('')}</wsdl:portType>
<wsdl:binding name="${name}PortBinding" type="tns:billService"><soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>${ops.map((op) => `<wsdl:operation name="${op}"><soap:operation soapAction="urn:${op}"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`).join('')}</wsdl:binding>
<wsdl:service name="${name}"><wsdl:port name="${name}Port" binding="tns:${name}PortBinding"><soap:address location="${location}"/></wsdl:port></wsdl:service>
</wsdl:definitions>
`;
}
