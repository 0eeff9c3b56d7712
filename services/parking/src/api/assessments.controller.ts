/** Medical assessments (the independent Assessor's own users). */
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { Access, OWN_ORG_WRITE } from '@civic/service-kit';
import { AssessmentsService } from './assessments.service.js';

@Controller('assessments')
export class AssessmentsController {
  constructor(@Inject(AssessmentsService) private readonly assessments: AssessmentsService) {}

  @Post()
  @HttpCode(201)
  @Access(OWN_ORG_WRITE)
  record(@Body() body: unknown) {
    return this.assessments.record(body);
  }
}
